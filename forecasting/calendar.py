"""The calendar the forecasts know: public holidays and the summer season (pure: no ORM)."""

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

# Public holidays (month, day), every year. The points-of-sale sandbox's world keeps the same days.
HOLIDAYS = frozenset({(1, 1), (1, 2), (1, 3), (1, 7), (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4), (12, 31)})
SEASON_MONTHS = range(5, 10)  # May to September: summer terraces are open, summer trade differs
CALENDAR_FEATURES = ("weekday", "month", "day_of_year_sin", "day_of_year_cos", "holiday", "season", "holiday_eve")


def is_holiday(day: date) -> bool:
    return (day.month, day.day) in HOLIDAYS


@lru_cache(maxsize=16)
def calendar_matrix(first: date, days: int) -> np.ndarray:
    """One row per day from ``first``: the ``CALENDAR_FEATURES`` of that day (known in advance for any day).

    Cached (series loaded together share their first day); callers must not write into the array."""
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        angle = 2 * np.pi * day.timetuple().tm_yday / 365.25
        rows.append((day.weekday(), day.month, np.sin(angle), np.cos(angle), is_holiday(day),
                     day.month in SEASON_MONTHS, is_holiday(day + timedelta(days=1))))
    return np.array(rows, dtype=np.float64).reshape(days, len(CALENDAR_FEATURES))
