"""Forecasts from the live model (or the baseline), in bulk: one feature matrix and one prediction call for
every series and day asked for. Reads only."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings

from forecasting.estimators import MAX_HORIZON, LightGbmForecaster, Prepared, hyper_params, seasonal_naive
from forecasting.features import FEATURES, LEVEL_CHOICE_DAYS, LEVEL_CHOICE_LAG, YEAR, design, row_scale
from forecasting.models import ForecastModel
from forecasting.selectors import KINDS, Series, SeriesKey, series_load

# What the features read before an origin: the level choice's half year of week-ahead errors, each made from
# a baseline whose weekday factors look a year back (593 days), and 40 days' slack for the level and the week.
HISTORY_DAYS = YEAR + LEVEL_CHOICE_DAYS + LEVEL_CHOICE_LAG + 40
FOUR_PLACES = Decimal("0.0001")
SHORT_HISTORY = ("the series has {known} days of actuals, fewer than the {needed} the model needs: this is the "
                 "seasonal-naive baseline (the same weekday's latest actual)")
STALE_MODEL = ("model v{version} was trained on features this version no longer computes: this is the seasonal-naive "
               "baseline until a retrain (POST /api/v1/forecasts/retrain) trains one on the current features")


class HorizonTooLong(ValueError):
    """A day asked for is further from the last actual than a model answers."""


@dataclass(frozen=True)
class ForecastPoint:
    key: SeriesKey
    day: date
    origin: date  # the last day whose actual the forecast used
    horizon: int
    predicted: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    method: str  # lightgbm | seasonal_naive
    note: str = ""


def forecast_points(keys: list[SeriesKey], *, first: date, last: date, model: ForecastModel,
                    origin: date | None = None) -> list[ForecastPoint]:
    """Forecasts of ``keys`` for every day in [first, last], each made at the series' origin: ``origin`` if
    given, else its last actual before ``first``. Raises ``HorizonTooLong`` naming the limit."""
    newest = origin or first - timedelta(days=1)
    history = series_load(keys, first=newest - timedelta(days=HISTORY_DAYS - 1), last=newest)
    stale = list(model.features) != list(FEATURES)  # its file expects other columns: it cannot be used
    params = tuple(sorted(hyper_params(model.params).items()))
    forecaster = None if stale else _loaded(model.version, model.file, params)
    points, blocks, scales, slots = [], [], [], []
    for key in keys:
        series = history[key]
        start = series.last if origin is None else origin
        if (last - start).days > MAX_HORIZON:
            raise HorizonTooLong(f"{key}: {last} is {(last - start).days} days after its last actual ({start}); "
                                 f"a forecast reaches at most {MAX_HORIZON} days ahead")
        prepared = Prepared.of(series, KINDS[key.kind])
        at = np.array([(start - series.first).days])
        days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
        horizons = np.array([(day - start).days for day in days])
        if stale or series.known_days() < settings.FORECAST_MIN_HISTORY_DAYS or at[0] < 0:
            note = STALE_MODEL.format(version=model.version) if stale else None
            points += [_baseline(key, series, prepared, at, day, start, int(h), model, note)
                       for day, h in zip(days, horizons, strict=True)]
            continue
        origins = np.repeat(at, len(days))  # one feature matrix for every day of this series
        blocks.append(design(prepared.stats, origins, horizons, kind=prepared.kind, calendar=prepared.calendar))
        scales.append(row_scale(prepared.stats, origins, horizons))
        slots += [(len(points) + i, key, day, start, int(h)) for i, (day, h) in enumerate(zip(days, horizons,
                                                                                             strict=True))]
        points += [None] * len(days)
    if blocks:
        scale = np.concatenate(scales)
        predicted = forecaster.predict_rows(np.vstack(blocks), scale)
        for (index, key, day, start, horizon), value, unit in zip(slots, predicted, scale, strict=True):
            low, high = _spread(model.params.get("quantiles", {}), horizon)
            lower, upper = _interval(value, low * unit, high * unit)
            points[index] = ForecastPoint(key, day, start, horizon, _money(value), lower, upper, "lightgbm")
    return points


def _baseline(key, series: Series, prepared, at, day, start, horizon, model, note=None) -> ForecastPoint:
    note = note or SHORT_HISTORY.format(known=series.known_days(), needed=settings.FORECAST_MIN_HISTORY_DAYS)
    value = float(seasonal_naive(prepared, at, horizon)[0]) if at[0] >= 0 else float("nan")
    if value != value:  # less than a week of actuals: their mean, or nothing at all
        known = series.values[~np.isnan(series.values)]
        value = float(known.mean()) if len(known) else float("nan")
    if value != value:
        return ForecastPoint(key, day, start, horizon, None, None, None, "seasonal_naive",
                             "the series has no actuals yet: there is nothing to forecast from")
    scale = row_scale(prepared.stats, at, horizon)[0] if at[0] >= 0 else 1.0
    low, high = _spread(model.params.get("baseline_quantiles", {}), horizon)
    lower, upper = _interval(value, low * scale, high * scale)
    return ForecastPoint(key, day, start, horizon, _money(value), lower, upper, "seasonal_naive", note)


def _spread(quantiles: dict, horizon: int) -> tuple[float, float]:
    """The residual percentiles the backtest measured at this horizon (or its longest, beyond it)."""
    if not quantiles:
        return 0.0, 0.0
    longest = max(int(h) for h in quantiles)
    low, high = quantiles[str(min(horizon, longest))]
    return low, high


def _interval(value: float, low: float, high: float) -> tuple[Decimal, Decimal]:
    """The forecast plus the backtest's residual percentiles, widened to hold the forecast itself (a biased
    horizon can have both percentiles on one side), never below zero."""
    return _money(max(min(value, value + low), 0.0)), _money(max(value, value + high))


def _money(value: float) -> Decimal:
    return Decimal(str(round(float(value), 4))).quantize(FOUR_PLACES)


@lru_cache(maxsize=4)
def _loaded(version: int, file: str, params: tuple) -> LightGbmForecaster:
    """A model file read once per process (models are immutable: a new version is a new file)."""
    return LightGbmForecaster.load(Path(settings.MEDIA_ROOT) / file, dict(params))
