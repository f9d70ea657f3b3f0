"""Features see only what is known at the forecast's origin: the no-leakage test, and the rolling helpers."""

from datetime import date

import numpy as np
import pytest

from forecasting.calendar import CALENDAR_FEATURES, calendar_matrix
from forecasting.estimators import MAX_HORIZON
from forecasting.features import FEATURES, SeriesStats, design, rolling_mean, row_scale, weekday_mean

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
