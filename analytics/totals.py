"""Adding up rollup rows without ever summing two currencies blindly.

A ``Totals`` keeps a count and, per currency, the exact sum; with a reporting currency it also
keeps the converted sum. ``money()`` says what can honestly be said as one figure: the amount in
the reporting currency, or the amount when only one currency is involved, else no single amount
(``null``) beside the per-currency amounts.
"""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from analytics.fx import Converter
from transactions.money import MONEY_QUANTUM, from_units

RATE_QUANTUM = Decimal("0.0001")
PERCENT_QUANTUM = Decimal("0.01")


class Totals:
    """A count and sums of money, per currency and (optionally) converted."""

    __slots__ = ("count", "units", "converted", "converter")

    def __init__(self, converter: Converter | None = None):
        self.count, self.units, self.converted, self.converter = 0, {}, Decimal(0), converter

    def add(self, *, count: int, units: int, currency: str, day: date | None = None) -> None:
        self.count += count
        self.units[currency] = self.units.get(currency, 0) + units
        if self.converter is not None:
            self.converted += self.converter.convert(from_units(units), currency, day)

    def by_currency(self) -> dict[str, Decimal]:
        return {currency: from_units(units) for currency, units in sorted(self.units.items()) if units or self.count}

    def amount(self) -> tuple[Decimal | None, str | None]:
        """(amount, currency) as one figure, or (None, None) when currencies are mixed and not converted."""
        if self.converter is not None:
            return _money(self.converted), self.converter.reporting
        currencies = [currency for currency, units in self.units.items()]
        if len(currencies) == 1:
            return from_units(self.units[currencies[0]]), currencies[0]
        return (Decimal("0.0000"), None) if not currencies else (None, None)

    def money(self) -> dict:
        amount, currency = self.amount()
        return {"count": self.count, "amount": amount, "currency": currency, "by_currency": self.by_currency()}

    def average(self) -> dict:
        """The mean amount per transaction, as one figure where ``amount()`` has one, and per currency."""
        amount, currency = self.amount()
        single = _money(amount / self.count) if amount is not None and self.count else None
        return {"amount": single, "currency": currency, "by_currency": {
            code: _money(total / self.count) for code, total in self.by_currency().items()} if self.count else {}}


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four places (0.7512), or None when there is no whole."""
    return (Decimal(part) / Decimal(whole)).quantize(RATE_QUANTUM, ROUND_HALF_EVEN) if whole else None


def change_pct(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """Relative change in percent to two places, or None when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(PERCENT_QUANTUM, ROUND_HALF_EVEN)


def _money(value: Decimal) -> Decimal:
    return value.quantize(MONEY_QUANTUM, ROUND_HALF_EVEN)
