"""Project-wide money precision. Amounts are Decimal in major units with four places."""

from decimal import ROUND_HALF_EVEN, Decimal

MONEY_MAX_DIGITS = 20
MONEY_DECIMAL_PLACES = 4
MONEY_QUANTUM = Decimal(1).scaleb(-MONEY_DECIMAL_PLACES)  # Decimal("0.0001")
# The largest absolute amount the column holds: 16 digits before the point.
MONEY_LIMIT = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES)


def quantize_money(value: Decimal) -> Decimal:
    """``value`` at the stored precision, so that 1500, 1500.0 and 1500.0000 are one amount."""
    return value.quantize(MONEY_QUANTUM)

# Totals are kept as integers of the smallest stored unit (ten-thousandths), so that sums are exact
# on every database: SQLite, for one, stores decimals as floating point.
UNITS_PER_MAJOR = 10**MONEY_DECIMAL_PLACES


def to_units(value: Decimal) -> int:
    """An amount at the stored precision → whole ten-thousandths (exact; raises if it has more places)."""
    return int((value * UNITS_PER_MAJOR).to_integral_exact())


def from_units(units: int) -> Decimal:
    """Whole ten-thousandths → the amount, with four decimal places."""
    return Decimal(int(units)).scaleb(-MONEY_DECIMAL_PLACES)


# ISO 4217 minor units of the currencies that do not have two (every other currency has two).
MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
                     "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    "CLF": 4, "UYW": 4,
}


def minor_units(currency: str | None) -> int:
    """Decimal places the currency is written with (ISO 4217): INR 2, JPY 0, KWD 3; 2 when unknown."""
    return MINOR_UNITS.get((currency or "").upper(), 2)


def format_money(amount: Decimal | int | str | None, currency: str | None) -> str:
    """The back office's one way of writing an amount: thousands separators, the currency's minor units, the
    code after it ('42,808.16 INR', '1,500 JPY'); '–' for no amount. Rounded half to even for display only."""
    if amount is None or amount == "":
        return "–"
    places = minor_units(currency)
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{value:,.{places}f}"
    return f"{text} {currency}" if currency else text
