"""Features of a forecast, computed only from what is known when it is made (pure numpy: no ORM).

A forecast is made at an *origin* (the last day whose actual is known) for a *target* day ``horizon``
days later. Its features are the target's calendar (known in advance) and statistics of the series up
to and including the origin: the latest value, the latest same weekdays, rolling means over four weeks,
a quarter and a year, the weekday's share of the year, the same week last year. Values are divided by
the row's *scale*, a seasonal baseline known at the origin: the series' level times the target weekday's
factor over the last year, shrunk toward 1 as far as the year's noise explains it. The level is, per
series and origin, whichever of the last four weeks' mean and three EWMAs made the baseline closest to
the actuals over the last half year (``LEVEL_CHOICE_DAYS``). The model learns the target over that scale
(a correction to the baseline), so one model serves departments of any size and the payment series alike. Nothing
here reads an index after the origin: that is the no-leakage rule, and ``tests/test_features.py``
changes later values to prove it.

A series is a float array, one value per day from its first day, NaN where the actual is unknown.
"""

import warnings

import numpy as np
from scipy.signal import lfilter

from forecasting.calendar import CALENDAR_FEATURES

LEVEL_WINDOW = 28  # days of the level, the spread and the share of zero days
QUARTER = 91
WEEKS_BACK = 4  # same weekdays looked at one by one
YEAR = 364  # 52 weeks: the same weekday a year before
# The baseline's level candidates: the last four weeks' mean (index 0) and EWMAs of the weekday-adjusted
# values with these smoothing factors (a quick level for a trending series, a slow one for a flat noisy one).
EWMA_ALPHAS = (0.1, 0.03, 0.01)
# Each origin's level is the candidate whose baseline had the lowest MAPE a week ahead over the last
# LEVEL_CHOICE_DAYS targets known at the origin. Half a year: a choice across seasons, not one month's luck.
# Not tuned: the first value tried.
LEVEL_CHOICE_DAYS = 182
LEVEL_CHOICE_LAG = 7  # the horizon the candidates are judged at: a week, the middle of the backtest's 1..14
WEEKDAYS = 7
# James-Stein: the weekday factors' deviations from 1 shrink by SHRINK_DEGREES noise variances over their
# spread; seven estimates shrunk toward a fixed point (1), hence the textbook 7 - 2. (7 - 3, for a mean that
# is itself estimated, shrank less and was no better on the benchmark's four fold sets: count 11.39-14.31 %
# against 11.36-14.08 % MAPE h1-7.)
SHRINK_DEGREES = WEEKDAYS - 2
LAG_FEATURES = ("last", "same_weekday_1", "same_weekday_2", "same_weekday_3", "same_weekday_4", "weekday_mean_8",
                "mean_7", "mean_28", "mean_91", "mean_364", "weekday_factor_shrunk", "spread_28", "zero_share_28",
                "last_year", "last_year_week", "last_year_date", "last_year_change", "year_growth",
                "weekend_ratio", "log_level")
FEATURES = ("horizon", "series_kind", *CALENDAR_FEATURES, *LAG_FEATURES)


def rolling_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the known values among the ``window`` days ending at each index (NaN if none is known)."""
    known = ~np.isnan(values)
    sums = np.concatenate(([0.0], np.cumsum(np.where(known, values, 0.0))))
    counts = np.concatenate(([0], np.cumsum(known)))
    ends = np.arange(1, len(values) + 1)
    starts = np.maximum(ends - window, 0)
    count = counts[ends] - counts[starts]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, (sums[ends] - sums[starts]) / np.maximum(count, 1), np.nan)


def rolling_count(values: np.ndarray, window: int) -> np.ndarray:
    """How many values are known among the ``window`` days ending at each index."""
    counts = np.concatenate(([0], np.cumsum(~np.isnan(values))))
    ends = np.arange(1, len(values) + 1)
    return counts[ends] - counts[np.maximum(ends - window, 0)]


def weekday_mean(values: np.ndarray, weeks: int) -> np.ndarray:
    """Mean of the known values at each index and the ``weeks - 1`` same weekdays before it."""
    return _per_weekday(values, weeks, rolling_mean)


def weekday_count(values: np.ndarray, weeks: int) -> np.ndarray:
    """How many of each index's and its ``weeks - 1`` same weekdays before it are known."""
    return _per_weekday(values, weeks, rolling_count)


def _per_weekday(values: np.ndarray, weeks: int, rolling) -> np.ndarray:
    result = np.full(len(values), np.nan)
    for weekday in range(7):
        result[weekday::7] = rolling(values[weekday::7], weeks)
    return result


def ewma(values: np.ndarray, alpha: float) -> np.ndarray:
    """Exponentially weighted mean of the known values up to each index (weights decay per calendar day,
    normalised over the known days, so the first days are not pulled toward zero); NaN before any is known."""
    known = ~np.isnan(values)
    sums = lfilter([alpha], [1.0, alpha - 1.0], np.where(known, values, 0.0))
    weights = lfilter([alpha], [1.0, alpha - 1.0], known.astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, sums / weights, np.nan)


def scales(values: np.ndarray) -> np.ndarray:
    """The level of each origin: the recent mean, else the mean of the last year, else 1."""
    recent, year = rolling_mean(values, LEVEL_WINDOW), rolling_mean(values, YEAR)
    level = np.where(recent > 0, recent, np.where(year > 0, year, 1.0))
    return np.nan_to_num(level, nan=1.0)


class SeriesStats:
    """Per-origin statistics of one series, computed once (each only from values up to that origin)."""

    def __init__(self, values: np.ndarray, weekdays: np.ndarray):
        """``weekdays[i]`` is the weekday (Monday 0) of day ``i``."""
        self.values = values
        self.scale = scales(values)
        self.mean_7 = rolling_mean(values, 7)
        self.mean_28 = rolling_mean(values, LEVEL_WINDOW)
        self.mean_91 = rolling_mean(values, QUARTER)
        self.mean_364 = rolling_mean(values, YEAR)
        self.weekday_8 = weekday_mean(values, 8)
        self.weekday_52 = weekday_mean(values, YEAR // 7)
        self.shrink = _weekday_shrink(values, self.weekday_52, self.mean_364)
        self.level, self.level_choice = _chosen_level(self, values)  # the choice: 0 four weeks, 1.. EWMA_ALPHAS
        squares = rolling_mean(values * values, LEVEL_WINDOW)
        self.spread_28 = np.sqrt(np.maximum(squares - self.mean_28 ** 2, 0.0))
        self.zero_share_28 = rolling_mean(np.where(np.isnan(values), np.nan, (values == 0).astype(float)),
                                          LEVEL_WINDOW)
        weekend = np.where(weekdays[:len(values)] >= 5, values, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.weekend_ratio = rolling_mean(weekend, 2 * LEVEL_WINDOW) / rolling_mean(values, 2 * LEVEL_WINDOW)

    def at(self, index: np.ndarray, array: np.ndarray | None = None) -> np.ndarray:
        """``array[index]`` (the values by default), NaN where the index is before the first day or past the last."""
        array = self.values if array is None else array
        inside = (index >= 0) & (index < len(array))
        return np.where(inside, array[np.clip(index, 0, len(array) - 1)], np.nan)


def _weekday_shrink(values: np.ndarray, weekday_52: np.ndarray, mean_364: np.ndarray) -> np.ndarray:
    """Per origin, the share of the weekday factors' deviation from 1 that is kept (0..1), James-Stein.

    A weekday's factor is the mean of its last 52 days over the year's mean; its noise variance is that
    weekday's variance over the year divided by how many days it has. Where the seven factors spread no
    more than their noise explains (the payment counts: no weekly pattern, only noise) they shrink to 1;
    a real weekly pattern (the POS world's weekends) is kept almost whole. Reads index i and earlier only.
    """
    weeks = YEAR // 7
    noise = (weekday_mean(values * values, weeks) - weekday_52 ** 2) / np.maximum(weekday_count(values, weeks), 1)
    index = np.arange(len(values))
    deviations, variances = [], []
    for back in range(WEEKDAYS):  # the seven weekdays' latest values at each origin: its own and the six before
        earlier = index - back
        inside = earlier >= 0
        with np.errstate(invalid="ignore", divide="ignore"):
            deviations.append(np.where(inside, weekday_52[np.maximum(earlier, 0)] / mean_364 - 1, np.nan))
            variances.append(np.where(inside, np.maximum(noise[np.maximum(earlier, 0)], 0) / mean_364 ** 2, np.nan))
    spread = np.nansum(np.square(deviations), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an origin with no factor yet: NaN, kept as 0 below
        kept = 1 - SHRINK_DEGREES * np.nanmean(variances, axis=0) / spread
    return np.clip(np.nan_to_num(kept, nan=0.0), 0.0, 1.0)


def _chosen_level(stats: SeriesStats, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per origin, the level candidate whose seasonal baseline forecast the last ``LEVEL_CHOICE_DAYS`` known
    days best (MAPE, ``LEVEL_CHOICE_LAG`` days ahead), and which one it is; the four weeks' mean where none
    has a score yet.

    The candidates: the four weeks' mean, and EWMAs of the values over their own weekday's factor (an EWMA
    of the raw values would lean toward the weekdays it saw last). Day t's error uses the level and factor
    at t - lag and the actual of t, so an origin's choice reads nothing after it.
    """
    index = np.arange(len(values))
    own_factor = _weekday_factor(stats, index, WEEKDAYS)  # horizon 7: day i's own weekday, as known at i
    with np.errstate(invalid="ignore", divide="ignore"):
        adjusted = np.where(own_factor > 0, values / own_factor, np.nan)
    candidates = np.stack([stats.mean_28, *(ewma(adjusted, alpha) for alpha in EWMA_ALPHAS)])
    lag = LEVEL_CHOICE_LAG
    forecast = np.full_like(candidates, np.nan)  # each candidate's baseline for day t, made at t - lag
    forecast[:, lag:] = candidates[:, :-lag] * _weekday_factor(stats, index[:-lag], lag)
    with np.errstate(invalid="ignore", divide="ignore"):
        errors = np.where(values > 0, np.abs(forecast - values) / values, np.nan)
    scores = np.stack([rolling_mean(row, LEVEL_CHOICE_DAYS) for row in errors])
    best = np.argmin(np.where(np.isnan(scores), np.inf, scores), axis=0)  # all unscored: 0, the four weeks' mean
    return candidates[best, index], best


def row_scale(stats: SeriesStats, origins: np.ndarray, horizon) -> np.ndarray:
    """What a row's values and target are divided by: the seasonal baseline known at the origin, i.e. the
    chosen level (``_chosen_level``) times the target weekday's shrunk factor over the last year; where that
    is not positive (a short or closed history), the target weekday's last four known actuals, else the
    series' recent level."""
    with np.errstate(invalid="ignore", divide="ignore"):
        baseline = stats.level[origins] * _weekday_factor(stats, origins, horizon)
    same = _known_mean(np.stack(_same_weekdays(stats, origins, horizon)))
    fallback = np.where(same > 0, same, stats.scale[origins])
    return np.where(baseline > 0, baseline, fallback)


def design(stats: SeriesStats, origins: np.ndarray, horizon, *, kind: int, calendar: np.ndarray) -> np.ndarray:
    """The feature matrix (``FEATURES`` columns) of forecasts made at ``origins`` for ``horizon`` days ahead
    (an int, or an array with one horizon per origin).

    ``calendar`` has a row per day index of the series, extending at least ``horizon`` days past its end.
    Every series value read is at an index <= its row's origin.
    """
    horizon = np.broadcast_to(np.asarray(horizon), origins.shape)  # one for all rows, or one per row
    if np.any(horizon < 1):
        raise ValueError("a forecast's horizon is at least one day")
    targets = origins + horizon
    scale = row_scale(stats, origins, horizon)
    latest = _latest_same_weekday(origins, horizon)
    last_year = targets - YEAR
    last_year_week = _known_mean(np.stack([stats.at(last_year + d) for d in range(-3, 4)]))
    # The same date a year before (a holiday falls on it again) against its week: how this series takes that date.
    date_before = targets - 365
    around = _known_mean(np.stack([stats.at(date_before + d) for d in (-3, -2, -1, 1, 2, 3)]))
    level_year_before = stats.at(origins - YEAR, stats.mean_28)
    with np.errstate(invalid="ignore", divide="ignore"):
        last_year_date = np.where(around > 0, stats.at(date_before) / around, np.nan)
        # How the season moved from the origin's four weeks to the target's week, a year before.
        last_year_change = np.where(level_year_before > 0, last_year_week / level_year_before, np.nan)
        year_growth = np.where(level_year_before > 0, stats.mean_28[origins] / level_year_before, np.nan)
        spread = np.where(stats.mean_28[origins] > 0, stats.spread_28[origins] / stats.mean_28[origins], np.nan)
    columns = [
        horizon.astype(float), np.full(len(origins), float(kind)), *calendar[targets].T,
        stats.values[origins] / scale, *(v / scale for v in _same_weekdays(stats, origins, horizon)),
        stats.at(latest, stats.weekday_8) / scale, stats.mean_7[origins] / scale, stats.mean_28[origins] / scale,
        stats.mean_91[origins] / scale, stats.mean_364[origins] / scale, _weekday_factor(stats, origins, horizon),
        spread, stats.zero_share_28[origins], stats.at(last_year) / scale, last_year_week / scale, last_year_date,
        last_year_change, year_growth, stats.weekend_ratio[origins], np.log1p(scale),
    ]
    return np.column_stack(columns)


def _latest_same_weekday(origins: np.ndarray, horizon) -> np.ndarray:
    """The index of the target weekday's latest day known at the origin (one or more weeks before the target)."""
    weeks = -(-horizon // 7)
    return origins + horizon - 7 * weeks


def _weekday_factor(stats: SeriesStats, origins: np.ndarray, horizon) -> np.ndarray:
    """The target weekday's mean over the last 52 weeks known at the origin, over the year's mean, its
    deviation from 1 shrunk by the origin's ``shrink`` (James-Stein: a factor no surer than its noise is 1)."""
    year = stats.mean_364[origins]
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(year > 0, stats.at(_latest_same_weekday(origins, horizon), stats.weekday_52) / year, np.nan)
    return 1 + stats.shrink[origins] * (raw - 1)


def _same_weekdays(stats: SeriesStats, origins: np.ndarray, horizon) -> list[np.ndarray]:
    """The target weekday's latest ``WEEKS_BACK`` actuals known at the origin, newest first."""
    latest = _latest_same_weekday(origins, horizon)
    return [stats.at(latest - 7 * k) for k in range(WEEKS_BACK)]


def _known_mean(rows: np.ndarray) -> np.ndarray:
    """Column means over the known (non-NaN) values; NaN where none is known."""
    known = ~np.isnan(rows)
    count = known.sum(axis=0)
    total = np.where(known, rows, 0.0).sum(axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)
