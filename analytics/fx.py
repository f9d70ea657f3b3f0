"""Converting totals into a reporting currency with the stored rates (``FxRate``).

A day's total in a currency is converted with the latest rate on or before that day. A rate is
stored one way (1 base = rate quote) and used either way. Conversion happens on totals, never on
single transactions, and only the final figure is rounded (to the stored four places).
"""

import bisect
from datetime import date
from decimal import Decimal

from analytics.models import FxRate
from common.errors import ApplicationError, ErrorCode


class MissingRateError(ApplicationError):
    """A total cannot be converted: no rate for its currency on or before its day."""

    default_code = ErrorCode.VALIDATION_ERROR


class Converter:
    """Multiplies amounts in other currencies into ``reporting``, day by day."""

    def __init__(self, reporting: str, *, currencies: set[str], last_day: date):
        self.reporting = reporting
        self._days: dict[str, list[date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        others = currencies - {reporting}
        if others:
            self._load(others, last_day)

    def _load(self, currencies: set[str], last_day: date) -> None:
        by_currency: dict[str, dict[date, Decimal]] = {currency: {} for currency in currencies}
        direct = FxRate.objects.filter(base__in=currencies, quote=self.reporting, day__lte=last_day)
        inverse = FxRate.objects.filter(base=self.reporting, quote__in=currencies, day__lte=last_day)
        for rate in inverse.only("day", "quote", "rate"):
            by_currency[rate.quote][rate.day] = 1 / rate.rate
        for rate in direct.only("day", "base", "rate"):  # a direct rate wins over an inverse one of the same day
            by_currency[rate.base][rate.day] = rate.rate
        for currency, rates in by_currency.items():
            days = sorted(rates)
            self._days[currency], self._rates[currency] = days, [rates[day] for day in days]

    def convert(self, amount: Decimal, currency: str, day: date) -> Decimal:
        """``amount`` of ``currency`` on ``day`` in the reporting currency (unrounded)."""
        if currency == self.reporting or not amount:
            return amount
        days = self._days.get(currency, [])
        position = bisect.bisect_right(days, day)
        if position == 0:
            message = (f"no {currency}→{self.reporting} rate on or before {day.isoformat()}; "
                       f"add one under FX rates to report in {self.reporting}")
            raise MissingRateError(f"currency: {message}", details={"currency": [message]})
        return amount * self._rates[currency][position - 1]
