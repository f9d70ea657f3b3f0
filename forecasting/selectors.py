"""Reads of the forecasting app: which series exist, their daily actuals, the live model, stored forecasts."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.db.models import Sum

from analytics.models import TransactionRollup
from analytics.spans import Span
from forecasting.models import ForecastModel
from sales.models import DailySales
from sales.selectors import iiko_departments
from transactions.choices import Status
from transactions.money import from_units

SALES, PAYMENTS_COUNT, PAYMENTS_AMOUNT = "sales", "payments_count", "payments_amount"
# The series kinds, numbered for the model's ``series_kind`` feature (never renumber: models keep them).
KINDS = {SALES: 0, PAYMENTS_COUNT: 1, PAYMENTS_AMOUNT: 2}
KIND_LABELS = {
    SALES: "daily sales of a department (by close time, local day, POS currency)",
    PAYMENTS_COUNT: "daily count of successful payments of a project and direction (UTC day)",
    PAYMENTS_AMOUNT: "daily amount of successful payments of a project, direction and currency (UTC day)",
}


@dataclass(frozen=True)
class SeriesKey:
    """A series: ``sales:D001``, ``payments_count:91G:payin``, ``payments_amount:91G:payin:INR``."""

    kind: str
    key: str

    def __str__(self):
        return f"{self.kind}:{self.key}"

    @classmethod
    def parse(cls, text: str) -> "SeriesKey":
        kind, _, key = str(text).partition(":")
        if kind not in KINDS or not key:
            raise LookupError(f"unknown series {text!r}: expected one of {', '.join(KINDS)} then ':' and its key")
        return cls(kind, key)


@dataclass
class Series:
    """Daily actuals from ``first``, NaN where a day has none (not synced); ``values[i]`` is ``first + i``."""

    key: SeriesKey
    first: date
    values: np.ndarray

    @property
    def last(self) -> date:
        """The last day with an actual."""
        known = np.flatnonzero(~np.isnan(self.values))
        return self.first + timedelta(days=int(known[-1])) if len(known) else self.first - timedelta(days=1)

    def known_days(self) -> int:
        return int(np.count_nonzero(~np.isnan(self.values)))


def series_keys(*, kinds=tuple(KINDS)) -> list[SeriesKey]:
    """Every series there is to forecast, in a stable order."""
    keys = []
    if SALES in kinds:
        keys += [SeriesKey(SALES, code) for code in iiko_departments().order_by("code").values_list("code", flat=True)]
    groups = (_payments().values_list("project", "direction", "currency").distinct()
              .order_by("project", "direction", "currency"))
    if PAYMENTS_COUNT in kinds:
        keys += sorted({SeriesKey(PAYMENTS_COUNT, f"{p}:{d}") for p, d, _ in groups}, key=str)
    if PAYMENTS_AMOUNT in kinds:
        keys += [SeriesKey(PAYMENTS_AMOUNT, f"{p}:{d}:{c}") for p, d, c in groups]
    return keys


def series_exists(key: SeriesKey) -> bool:
    return key in set(series_keys(kinds=(key.kind,)))


def series_load(keys: list[SeriesKey], *, first: date, last: date) -> dict[SeriesKey, Series]:
    """The actuals of ``keys`` over [first, last], one query per kind."""
    days = (last - first).days + 1
    values = {key: np.full(days, np.nan) for key in keys}
    for key, day, value in _actuals(keys, first, last):
        if key in values:
            values[key][(day - first).days] = value
    for key, array in values.items():
        if key.kind != SALES:  # a day without a rollup row had no successful payment: zero, between known days
            known = np.flatnonzero(~np.isnan(array))
            if len(known):
                inside = array[known[0]:known[-1] + 1]
                inside[np.isnan(inside)] = 0.0
    return {key: Series(key, first, array) for key, array in values.items()}


def _actuals(keys, first, last):
    kinds = {key.kind for key in keys}
    if SALES in kinds:
        by_code = {key.key: key for key in keys if key.kind == SALES}  # one key per series, not one per row
        for code, day, amount in DailySales.objects.filter(department__code__in=list(by_code),
                                                            day__range=(first, last)) \
                .values_list("department__code", "day", "amount"):
            yield by_code[code], day, float(amount)
    if kinds & {PAYMENTS_COUNT, PAYMENTS_AMOUNT}:
        yield from _payment_actuals(kinds, first, last)


def _payments():
    return TransactionRollup.objects.filter(span=Span.DAY, status=Status.SUCCESS)


def _payment_actuals(kinds, first, last):
    since = datetime.combine(first, time(), tzinfo=UTC)
    until = datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC)
    rows = (_payments().filter(slot__gte=since, slot__lt=until).values("project", "direction", "currency", "slot")
            .annotate(n=Sum("count"), e4=Sum("amount_e4")))
    counts = defaultdict(float)
    for row in rows:
        day = row["slot"].astimezone(UTC).date()
        counts[(row["project"], row["direction"], day)] += row["n"]
        if PAYMENTS_AMOUNT in kinds:
            key = SeriesKey(PAYMENTS_AMOUNT, f"{row['project']}:{row['direction']}:{row['currency']}")
            yield key, day, float(from_units(row["e4"]))
    if PAYMENTS_COUNT in kinds:
        for (project, direction, day), n in counts.items():
            yield SeriesKey(PAYMENTS_COUNT, f"{project}:{direction}"), day, n


def live_model() -> ForecastModel | None:
    return ForecastModel.objects.filter(status=ForecastModel.Status.LIVE).order_by("-version").first()
