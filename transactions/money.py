"""Project-wide money precision. Amounts are Decimal in major units with four places."""

from decimal import Decimal

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
