"""The forecasters: the seasonal-naive baseline and LightGBM on ``features.design`` (pure: no ORM).

Both answer in the series' own units. LightGBM learns the target over the origin's scale (see
``features``) from every series at once; its model file is LightGBM's own text format.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import lightgbm

from forecasting.calendar import calendar_matrix
from forecasting.features import FEATURES, LEVEL_WINDOW, SeriesStats, design, row_scale

MAX_HORIZON = 31  # days ahead a model answers: a month's batch
# A forecast is at most this many times its seasonal baseline (``features.row_scale``): a guard against a
# tree's leaf learned from a near-zero scale (the busiest holiday in the POS world is 1.6 times an ordinary day).
MAX_RATIO = 5.0
# Origins of the training rows: every TRAIN_ORIGIN_STEP-th day. Neighbouring origins give nearly the same rows.
# The step is prime to 7, so origins fall on every weekday and each horizon is seen with every target weekday
# (forecasts are made from any day; a step of 7 put every origin on one weekday). Every 12th day keeps two
# years of 68 series near 120,000 rows; every 7th day (210,000) cost twice the fit time for the same
# validation MAPE (sales h1-7 9.9 %, payment count 13.4 %, on folds before the backtest's).
TRAIN_ORIGIN_STEP = 12
DEFAULT_PARAMS = {
    "objective": "l1", "learning_rate": 0.08, "num_leaves": 31, "min_data_in_leaf": 100, "feature_fraction": 0.7,
    "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "max_bin": 63, "seed": 7, "verbose": -1,
    # One thread: with two on a busy 2-core machine, OpenMP's spinning threads made a fit 14 times slower
    # (measured: 15 s on one thread, 212 s on two, at a load average of 12).
    "num_threads": 1,
    # At most this many rounds; training stops 20 rounds after the last improvement on the validation split.
    "num_boost_round": 300, "early_stopping_rounds": 20,
}
# The validation split of a fit: the rows whose target is among the window's last VALIDATION_DAYS days (time-
# based: the model is judged on days after everything it learned from, as a forecast is).
VALIDATION_DAYS = 28
# The backtest and the gate score MAPE: an error relative to the actual. A row's L1 loss on the target over
# its scale is weighted by scale / actual (1 / its target), so the loss the trees minimise is that MAPE; a
# target below RATIO_FLOOR weighs as the floor (a near-closed day must not dominate), a zero one (left out of
# MAPE, still in MAE) weighs 1.
RATIO_FLOOR = 0.2


NOT_HYPER = ("quantiles", "baseline_quantiles", "backtest_origins")  # what a registry row's params also keep


def hyper_params(params: dict) -> dict:
    """A registry row's ``params`` less what is not LightGBM's (the interval's quantiles, the folds)."""
    return {key: value for key, value in params.items() if key not in NOT_HYPER}


@dataclass
class Prepared:
    """A series ready for features: its statistics, calendar rows and kind number."""

    stats: SeriesStats
    calendar: np.ndarray
    kind: int

    @classmethod
    def of(cls, series, kind: int) -> "Prepared":
        calendar = calendar_matrix(series.first, len(series.values) + MAX_HORIZON)
        return cls(SeriesStats(series.values, calendar[:, 0]), calendar, kind)


def seasonal_naive(prepared: Prepared, origins: np.ndarray, horizon: int) -> np.ndarray:
    """The same weekday's latest actual known at the origin (one week before the target, or more)."""
    weeks = -(-horizon // 7)
    return prepared.stats.at(origins + horizon - 7 * weeks)


@dataclass
class LightGbmForecaster:
    """One LightGBM model over every series and horizon 1..``MAX_HORIZON``."""

    params: dict = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    booster: "lightgbm.Booster | None" = None  # lightgbm is imported when a model is fitted or loaded
    fit_seconds: float = 0.0

    def fit(self, series: list[Prepared], *, last_target: int, max_horizon: int = MAX_HORIZON) -> "LightGbmForecaster":
        """Train on every (origin, horizon) whose target index is at most ``last_target``, stopping early on
        the last ``VALIDATION_DAYS`` days' targets."""
        features, targets, target_days = training_rows(series, last_target=last_target, max_horizon=max_horizon)
        if len(targets) == 0:
            raise ValueError("no training rows: the series are shorter than the level window and one horizon")
        started = time.perf_counter()
        import lightgbm as lgb  # here, not at start-up: every web and worker process would carry it (~85 MB)

        params = {k: v for k, v in self.params.items() if k not in ("num_boost_round", "early_stopping_rounds")}
        weights = np.where(targets > 0, 1.0 / np.maximum(targets, RATIO_FLOOR), 1.0)
        late = target_days > last_target - VALIDATION_DAYS
        if late.all() or not late.any():  # too short a window to split: a fixed number of rounds
            late[:] = False
        train = lgb.Dataset(features[~late], targets[~late], weight=weights[~late], feature_name=list(FEATURES),
                            categorical_feature=["series_kind"], free_raw_data=True)
        callbacks, valid_sets = [], []
        if late.any():
            valid_sets = [train.create_valid(features[late], targets[late], weight=weights[late])]
            callbacks = [lgb.early_stopping(self.params.get("early_stopping_rounds", 20), verbose=False)]
        self.booster = lgb.train(params, train, num_boost_round=self.params["num_boost_round"], valid_sets=valid_sets,
                                 callbacks=callbacks)
        self.fit_seconds = time.perf_counter() - started
        return self

    def predict(self, prepared: Prepared, origins: np.ndarray, horizon: int) -> np.ndarray:
        features = design(prepared.stats, origins, horizon, kind=prepared.kind, calendar=prepared.calendar)
        return self.predict_rows(features, row_scale(prepared.stats, origins, horizon))

    def predict_rows(self, features: np.ndarray, scale: np.ndarray) -> np.ndarray:
        ratio = np.clip(self.booster.predict(features, num_threads=1), 0.0, MAX_RATIO)
        return ratio * scale

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(path))

    @classmethod
    def load(cls, path: Path, params: dict) -> "LightGbmForecaster":
        import lightgbm as lgb

        return cls(params=params, booster=lgb.Booster(model_file=str(path)))


def training_rows(series: list[Prepared], *, last_target: int,
                  max_horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, scaled targets and target day indices of every series, origins every ``TRAIN_ORIGIN_STEP``
    days; one ``design`` call per series, for all its origins and horizons at once."""
    blocks, targets, days = [], [], []
    for prepared in series:
        values = prepared.stats.values
        last = min(last_target, len(values) - 1)
        starts = np.arange(LEVEL_WINDOW - 1, last, TRAIN_ORIGIN_STEP)
        origins = np.repeat(starts, max_horizon)
        horizons = np.tile(np.arange(1, max_horizon + 1), len(starts))
        keep = origins + horizons <= last
        origins, horizons = origins[keep], horizons[keep]
        target = values[origins + horizons] / row_scale(prepared.stats, origins, horizons)
        known = ~np.isnan(target)
        if known.any():
            blocks.append(design(prepared.stats, origins[known], horizons[known], kind=prepared.kind,
                                 calendar=prepared.calendar))
            targets.append(target[known])
            days.append(origins[known] + horizons[known])
    if not blocks:
        return np.empty((0, len(FEATURES))), np.empty(0), np.empty(0, dtype=int)
    return np.vstack(blocks), np.concatenate(targets), np.concatenate(days)
