"""Assembling what the models learn from: every series' actuals over the training window, prepared."""

from datetime import date, timedelta

from django.conf import settings

from forecasting.estimators import Prepared
from forecasting.selectors import KINDS, Series, series_keys, series_load


def training_series(*, last: date, days: int | None = None, kinds=tuple(KINDS)) -> dict[str, list[Series]]:
    """Each kind's series over the ``days`` up to ``last`` (default ``FORECAST_TRAINING_DAYS``); series with
    no actual in the window are left out (nothing to learn from them)."""
    days = days or settings.FORECAST_TRAINING_DAYS
    loaded = series_load(series_keys(kinds=kinds), first=last - timedelta(days=days - 1), last=last)
    grouped: dict[str, list[Series]] = {}
    for key, series in loaded.items():
        if series.known_days():
            grouped.setdefault(key.kind, []).append(series)
    return grouped


def prepared(grouped: dict[str, list[Series]]) -> dict[str, list[Prepared]]:
    return {kind: [Prepared.of(series, KINDS[kind]) for series in group] for kind, group in grouped.items()}
