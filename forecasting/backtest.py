"""The backtest: rolling origins over the last weeks, horizons 1..14, MAE and MAPE per model, horizon and
series kind (pure numpy: no ORM).

Origins are a week apart; the last one leaves a whole ``horizons`` days of actuals after it. Learned
models are fitted once, on targets up to the first origin, so no fold's target was seen in training
(later folds use a model a few weeks older than they could: the backtest errs on the pessimistic side).
Features at each origin use actuals up to that origin only. MAPE leaves out days whose actual is zero
(a summer terrace in winter): a percentage of zero has no meaning.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from forecasting.estimators import Prepared, seasonal_naive
from forecasting.features import row_scale

BACKTEST_HORIZONS = 14
BACKTEST_WEEKS = 8
INTERVAL = (10, 90)  # percentiles of the residuals: an 80 % prediction interval
SEASONAL_NAIVE, LIGHTGBM = "seasonal_naive", "lightgbm"


@dataclass
class Backtest:
    """Metrics ``{model: {kind: {horizon: {...}}}}`` and residual percentiles ``{model: {horizon: [lo, hi]}}``
    (in units of the origin's scale), with the folds' origins (indices)."""

    metrics: dict
    quantiles: dict
    origins: list[int]


def fold_origins(length: int, *, weeks: int = BACKTEST_WEEKS, horizons: int = BACKTEST_HORIZONS) -> list[int]:
    """Origin indices: ``weeks`` of them a week apart, the last ``horizons`` days before the end."""
    last = length - 1 - horizons
    origins = [last - 7 * k for k in range(weeks - 1, -1, -1)]
    if origins[0] < 60:
        raise ValueError(f"a backtest of {weeks} weeks needs at least {60 + 7 * (weeks - 1) + horizons + 1} days "
                         f"of history; there are {length}")
    return origins


def backtest(series: dict[str, list[Prepared]], *, models: dict, weeks: int = BACKTEST_WEEKS,
             horizons: int = BACKTEST_HORIZONS) -> Backtest:
    """Run ``models`` (name → a forecaster to fit, or ``None`` for the seasonal naive) on the same folds.

    ``series`` maps a kind's name to its prepared series, all of the same length.
    """
    everything = [p for group in series.values() for p in group]
    length = len(everything[0].stats.values)
    origins = np.array(fold_origins(length, weeks=weeks, horizons=horizons))
    metrics, quantiles = {}, {}
    for name, forecaster in models.items():
        if forecaster is not None:
            forecaster.fit(everything, last_target=int(origins[0]), max_horizon=horizons)
        predict = (lambda p, o, h: seasonal_naive(p, o, h)) if forecaster is None else forecaster.predict
        metrics[name], quantiles[name] = _evaluate(series, origins, horizons, predict)
    return Backtest(metrics, quantiles, [int(o) for o in origins])


def _evaluate(series, origins, horizons, predict):
    metrics: dict = {}
    residuals = defaultdict(list)
    for kind, group in series.items():
        errors = defaultdict(list)
        for prepared in group:
            for horizon in range(1, horizons + 1):
                predicted = predict(prepared, origins, horizon)
                actual = prepared.stats.at(origins + horizon)
                known = ~np.isnan(actual) & ~np.isnan(predicted)
                errors[horizon].append((predicted[known], actual[known]))
                scale = row_scale(prepared.stats, origins, horizon)[known]
                residuals[horizon].append((actual[known] - predicted[known]) / scale)
        metrics[kind] = {str(horizon): _scores(pairs) for horizon, pairs in errors.items()}  # JSON keys
    spread = {}
    for horizon, parts in residuals.items():
        joined = np.concatenate(parts)
        spread[str(horizon)] = [float(np.percentile(joined, q)) if len(joined) else 0.0 for q in INTERVAL]
    return metrics, spread


def _scores(pairs) -> dict:
    return error_scores(np.concatenate([p for p, _ in pairs]) if pairs else np.empty(0),
                        np.concatenate([a for _, a in pairs]) if pairs else np.empty(0))


def error_scores(predicted: np.ndarray, actual: np.ndarray) -> dict:
    """MAE over every point, MAPE (%) over the points whose actual is not zero (None if there are none)."""
    nonzero = actual != 0
    errors = np.abs(predicted - actual)
    return {
        "mae": float(errors.mean()) if len(errors) else None,
        "mape": float((errors[nonzero] / np.abs(actual[nonzero])).mean() * 100) if nonzero.any() else None,
        "points": int(len(errors)), "mape_points": int(nonzero.sum()),
    }


def gate_score(metrics: dict, *, horizons: int = BACKTEST_HORIZONS) -> float | None:
    """One model's score: the mean over series kinds of its mean MAPE over horizons 1..``horizons``."""
    per_kind = []
    for by_horizon in metrics.values():
        cells = [by_horizon.get(str(h)) for h in range(1, horizons + 1)]
        mapes = [cell["mape"] for cell in cells if cell and cell["mape"] is not None]
        if mapes:
            per_kind.append(sum(mapes) / len(mapes))
    return sum(per_kind) / len(per_kind) if per_kind else None
