"""Features see only what is known at the forecast's origin: the no-leakage test, and the rolling helpers."""

from datetime import date

import numpy as np
import pytest

from forecasting.calendar import CALENDAR_FEATURES, calendar_matrix
from forecasting.estimators import MAX_HORIZON
from forecasting.features import (
    EWMA_ALPHAS,
    FEATURES,
    SeriesStats,
    design,
    ewma,
    rolling_mean,
    row_scale,
    weekday_mean,
)

FIRST = date(2025, 1, 1)
DAYS = 500


def _series(seed=1):
    rng = np.random.default_rng(seed)
    weekly = np.tile([1.0, 1.1, 1.2, 0.9, 1.5, 1.8, 1.3], DAYS // 7 + 1)[:DAYS]
    values = 1_000 * weekly * rng.lognormal(0, 0.1, DAYS)
    values[rng.choice(DAYS, 20, replace=False)] = np.nan  # days never synced
    values[100:130] = 0.0  # a closed month
    return values


def _features(values, origin, horizon):
    """The row's features and, last, its scale (the baseline the target is divided by: known at the origin too)."""
    calendar = calendar_matrix(FIRST, DAYS + MAX_HORIZON)
    stats, origins = SeriesStats(values, calendar[:, 0]), np.array([origin])
    row = design(stats, origins, horizon, kind=0, calendar=calendar)[0]
    return np.append(row, row_scale(stats, origins, horizon))


@pytest.mark.parametrize("horizon", [1, 2, 6, 7, 8, 14, 31])
@pytest.mark.parametrize("origin", [30, 200, 371, 450])
def test_changing_the_target_day_or_any_later_day_leaves_its_features_unchanged(origin, horizon):
    values = _series()
    target = origin + horizon
    before = _features(values, origin, horizon)
    rng = np.random.default_rng(origin * 100 + horizon)
    changed = values.copy()
    changed[target] = 123_456.0  # the target day's actual
    changed[target + 1:] = rng.uniform(0, 1e6, DAYS - target - 1)  # every later day's
    changed[origin + 1:target] = rng.uniform(0, 1e6, target - origin - 1)  # and the days between origin and target
    np.testing.assert_array_equal(_features(changed, origin, horizon), before)
    # The features do move with what was known: the origin's own actual changes them.
    known_changed = values.copy()
    known_changed[origin] = 987_654.0
    assert not np.array_equal(_features(known_changed, origin, horizon), before, equal_nan=True)


def test_the_calendar_part_is_the_target_days():
    values = _series()
    row = _features(values, 200, 5)
    calendar = calendar_matrix(FIRST, DAYS + MAX_HORIZON)[205]
    start = FEATURES.index(CALENDAR_FEATURES[0])
    np.testing.assert_array_equal(row[start:start + len(CALENDAR_FEATURES)], calendar)
    assert (row[FEATURES.index("horizon")], row[FEATURES.index("weekday")]) == (5, date(2025, 7, 25).weekday())


def test_rolling_mean_skips_unknown_days_and_is_nan_when_none_is_known():
    values = np.array([np.nan, 2.0, 4.0, np.nan, np.nan, np.nan, 6.0])
    np.testing.assert_array_equal(rolling_mean(values, 3), [np.nan, 2.0, 3.0, 3.0, 4.0, np.nan, 6.0])


def test_weekday_mean_averages_the_same_weekdays_only():
    values = np.arange(21, dtype=float)  # three weeks
    values[8] = np.nan  # an unknown Tuesday
    means = weekday_mean(values, 2)
    assert (means[14], means[15], means[1]) == (10.5, 15.0, 1.0)  # (7 + 14) / 2; day 15 with day 8 unknown; one week


def test_a_horizon_below_one_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        _features(_series(), 100, 0)


def _stats(values):
    return SeriesStats(values, calendar_matrix(FIRST, DAYS + MAX_HORIZON)[:, 0])


@pytest.mark.parametrize("origin", [40, 200, 371, 450])
def test_the_level_choice_and_the_weekday_shrink_read_nothing_after_the_origin(origin):
    values = _series()
    before = _stats(values)
    changed = values.copy()
    changed[origin + 1:] = np.random.default_rng(origin).uniform(0, 1e6, DAYS - origin - 1)
    after = _stats(changed)
    for name in ("level", "level_choice", "shrink"):  # every origin up to this one: as before
        np.testing.assert_array_equal(getattr(after, name)[:origin + 1], getattr(before, name)[:origin + 1])


def test_a_flat_noisy_series_gets_a_slow_level_and_no_weekday_pattern():
    # The payment counts: noise, no weekly pattern. Twenty draws: one draw's factors can spread by luck.
    draws = [_stats(np.random.default_rng(seed).poisson(500, DAYS).astype(float)) for seed in range(20)]
    assert np.mean([stats.shrink[-1] for stats in draws]) < 0.4  # what looks like a weekday pattern is noise
    assert np.mean([stats.level_choice[-1] >= 2 for stats in draws]) > 0.8  # a slow EWMA: the least noise
    assert max(abs(stats.level[-1] / 500 - 1) for stats in draws) < 0.02


def test_a_weekly_pattern_is_kept_and_a_step_is_followed():
    values = _series()
    values[300:] *= 1.5  # the series steps up and stays there
    stats = _stats(values)
    assert stats.shrink[-30:].min() > 0.9  # the weekends are real: their factors are kept almost whole
    assert stats.level_choice[-1] != len(EWMA_ALPHAS)  # a half year that holds the step: not the slowest EWMA
    factor = row_scale(stats, np.array([DAYS - 1]), 7)[0] / stats.level[-1]
    recent = np.nanmean(values[-28:])
    assert abs(stats.level[-1] / recent - 1) < 0.1 and 0.5 < factor < 2


def test_the_ewma_skips_unknown_days_and_does_not_start_from_zero():
    values = np.array([np.nan, 10.0, np.nan, 20.0])
    result = ewma(values, 0.5)
    assert np.isnan(result[0]) and result[1] == 10.0 and result[2] == 10.0
    assert result[3] == 18.0  # (10 * 0.125 + 20 * 0.5) / 0.625: weights alpha * (1 - alpha) ** age, known days only
