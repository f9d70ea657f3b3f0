"""Forecasts as people and programs read them: points with their actuals, errors and error percents."""

from datetime import date
from decimal import Decimal

import numpy as np

from forecasting.models import ForecastModel
from forecasting.predict import ForecastPoint, forecast_points
from forecasting.selectors import SeriesKey, series_load

COLUMNS = ("series", "day", "origin", "horizon", "method", "predicted", "lower", "upper", "actual", "error",
           "error_pct", "note")


def point_dict(point: ForecastPoint) -> dict:
    return {"series": str(point.key), "day": point.day, "origin": point.origin, "horizon": point.horizon,
            "method": point.method, "predicted": point.predicted, "lower": point.lower, "upper": point.upper,
            "note": point.note}


def compared(keys: list[SeriesKey], *, first: date, last: date, model: ForecastModel) -> list[dict]:
    """Forecasts of [first, last] made from the actuals before ``first``, beside the actuals: ``error`` is
    predicted − actual, ``error_pct`` its size over the actual in %, null when the actual is zero (a percent
    of nothing) or not known yet (then ``actual`` and ``error`` are null too)."""
    points = forecast_points(keys, first=first, last=last, model=model)
    actuals = series_load(keys, first=first, last=last)
    rows = []
    for point in points:
        value = actuals[point.key].values[(point.day - first).days]
        actual = None if np.isnan(value) else Decimal(str(round(float(value), 4)))
        error = point.predicted - actual if actual is not None and point.predicted is not None else None
        pct = (abs(error) / abs(actual) * 100).quantize(Decimal("0.01")) if error is not None and actual else None
        rows.append({**point_dict(point), "actual": actual, "error": error, "error_pct": pct})
    return rows
