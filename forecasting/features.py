"""Features of a forecast, computed only from what is known when it is made (pure numpy: no ORM).

A forecast is made at an *origin* (the last day whose actual is known) for a *target* day ``horizon``
days later. Its features are the target's calendar (known in advance) and statistics of the series up
to and including the origin: the latest value, the latest same weekdays, rolling means over four weeks,
a quarter and a year, the weekday's share of the year, the same week last year. Values are divided by
the row's *scale*, a seasonal baseline known at the origin: the level of the last four weeks times the
target weekday's factor over the last year. The model learns the target over that scale (a correction
to the baseline), so one model serves departments of any size and the payment series alike. Nothing
here reads an index after the origin: that is the no-leakage rule, and ``tests/test_features.py``
changes later values to prove it.

A series is a float array, one value per day from its first day, NaN where the actual is unknown.
"""

import numpy as np

from forecasting.calendar import CALENDAR_FEATURES

LEVEL_WINDOW = 28  # days of the level, the spread and the share of zero days
QUARTER = 91
WEEKS_BACK = 4  # same weekdays looked at one by one
YEAR = 364  # 52 weeks: the same weekday a year before
LAG_FEATURES = ("last", "same_weekday_1", "same_weekday_2", "same_weekday_3", "same_weekday_4", "weekday_mean_8",
                "mean_7", "mean_28", "mean_91", "mean_364", "weekday_factor", "spread_28", "zero_share_28",
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


def weekday_mean(values: np.ndarray, weeks: int) -> np.ndarray:
    """Mean of the known values at each index and the ``weeks - 1`` same weekdays before it."""
    result = np.full(len(values), np.nan)
    for weekday in range(7):
        result[weekday::7] = rolling_mean(values[weekday::7], weeks)
    return result


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


def row_scale(stats: SeriesStats, origins: np.ndarray, horizon) -> np.ndarray:
    """What a row's values and target are divided by: the seasonal baseline known at the origin, i.e. the
    last four weeks' mean times the target weekday's factor over the last year (its same weekdays' mean
    over the year's mean); where that is not positive (a short or closed history), the target weekday's
    last four known actuals, else the series' recent level."""
    with np.errstate(invalid="ignore", divide="ignore"):
        baseline = stats.mean_28[origins] * _weekday_factor(stats, origins, horizon)
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
    """The target weekday's mean over the last 52 weeks known at the origin, over the year's mean."""
    year = stats.mean_364[origins]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(year > 0, stats.at(_latest_same_weekday(origins, horizon), stats.weekday_52) / year, np.nan)


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
