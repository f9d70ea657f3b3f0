"""Periods of local days, and the hour/day/week buckets that trends are cut into.

A period is whole days in a time zone: [midnight of the first day, midnight after the last) in
that zone, turned into UTC. Every real offset is a whole number of quarter hours, so both ends
fall on the rollups' 15-minute grid and totals over slots are exact.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# 15 minutes: the finest rollup, so still exact. 5 minutes is finer than any rollup: those trends are
# read from the transactions themselves (every offset in use is whole quarter hours, so whole 5 minutes
# too), over a few days at most.
GRANULARITIES = ("5min", "15min", "hour", "day", "week")
FINER_THAN_ROLLUPS = {"5min": 5}  # granularity → minutes of the slots read from the transactions
MAX_DAYS_FINER_THAN_ROLLUPS = 2
_QUARTER_HOUR = timedelta(minutes=15)
# Points a trend may have: hourly for three months, daily for ten years.
MAX_POINTS = 2_500


@dataclass(frozen=True)
class Period:
    """Whole local days ``first_day`` … ``last_day`` in ``tz``."""

    first_day: date
    last_day: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive: the midnight after the last day."""
        return local_midnight(self.last_day + timedelta(days=1), self.tz)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def previous(self) -> "Period":
        """The period of equal length just before this one."""
        return Period(self.first_day - timedelta(days=self.days), self.first_day - timedelta(days=1), self.tz)

    def as_dict(self) -> dict:
        return {"from": self.start, "to": self.end, "from_date": self.first_day, "to_date": self.last_day,
                "timezone": self.tz.key}


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of ``day`` in ``tz``, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def buckets(period: Period, granularity: str) -> list[tuple[datetime, datetime]]:
    """[start, end) in UTC of each 5 or 15 minutes, hour, day or week (Monday to Sunday, clipped to the period)."""
    if granularity in _FIXED:
        # Stepping in UTC keeps every hour exactly an hour long across daylight-saving changes.
        steps = int((period.end - period.start) // _FIXED[granularity])
        starts = [period.start + _FIXED[granularity] * n for n in range(steps)]
    elif granularity == "day":
        starts = [local_midnight(period.first_day + timedelta(days=d), period.tz) for d in range(period.days)]
    else:
        mondays = [period.first_day + timedelta(days=d) for d in range(period.days)
                   if (period.first_day + timedelta(days=d)).weekday() == 0]
        starts = [period.start] + [local_midnight(day, period.tz) for day in mondays if day != period.first_day]
    return list(zip(starts, [*starts[1:], period.end], strict=True))


_FIXED = {"5min": timedelta(minutes=5), "15min": timedelta(minutes=15), "hour": timedelta(hours=1)}


def first_day_off_the_grid(period: Period) -> tuple[date, timedelta] | None:
    """The first day of ``period`` and of the period before it (the one compared with) whose midnight in the
    zone is not on the 15-minute grid, with its UTC offset; None when every one is.

    Today every zone's offset is whole quarter hours, but not in history: Kiritimati was UTC-10:40 until
    1979, Monrovia -0:44:30 until 1972. Totals over such days cannot be read from 15-minute rollups.
    """
    return _off_the_grid(period.tz, period.previous().first_day, period.last_day + timedelta(days=1))


@lru_cache(maxsize=1024)  # the same few periods are asked again and again (dashboards refreshing)
def _off_the_grid(tz: ZoneInfo, first: date, last: date) -> tuple[date, timedelta] | None:
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        utc_offset = tz.utcoffset(datetime(day.year, day.month, day.day))
        if utc_offset % _QUARTER_HOUR:
            return day, utc_offset
    return None


def points_in(period: Period, granularity: str) -> int:
    return {"5min": period.days * 288, "15min": period.days * 96, "hour": period.days * 24, "day": period.days,
            "week": period.days // 7 + 2}[granularity]
