"""Assembling what the models learn from: every series' actuals over the training window, prepared."""

from datetime import date, timedelta

import numpy as np
from django.conf import settings

from forecasting.estimators import Prepared
from forecasting.selectors import KINDS, Series, series_keys, series_load


def training_series(*, last: date, days: int | None = None, kinds=tuple(KINDS)) -> dict[str, list[Series]]:
    """Each kind's series over the ``days`` up to ``last`` (default ``FORECAST_TRAINING_DAYS``), from the
    window's first actual on, all of one length; series with no actual in the window are left out."""
    days = days or settings.FORECAST_TRAINING_DAYS
    loaded = series_load(series_keys(kinds=kinds), first=last - timedelta(days=days - 1), last=last)
    known = [series for series in loaded.values() if series.known_days()]
    if not known:
        return {}
    start = min(int(np.flatnonzero(~np.isnan(series.values))[0]) for series in known)  # the window's first actual
    grouped: dict[str, list[Series]] = {}
    for series in known:
        trimmed = Series(series.key, series.first + timedelta(days=start), series.values[start:])
        grouped.setdefault(series.key.kind, []).append(trimmed)
    return grouped


def prepared(grouped: dict[str, list[Series]]) -> dict[str, list[Prepared]]:
    return {kind: [Prepared.of(series, KINDS[kind]) for series in group] for kind, group in grouped.items()}
