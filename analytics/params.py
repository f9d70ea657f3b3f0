"""The metrics' query parameters → a MetricsQuery, with 400s that name what was wrong.

Read by the metrics endpoints (``analytics.api.views``) and the admin dashboard alike, from a query
string (a QueryDict) or any mapping: a period on the dashboard is exactly the period the API means.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rest_framework import serializers

from analytics.periods import (
    FINER_THAN_ROLLUPS,
    GRANULARITIES,
    MAX_DAYS_FINER_THAN_ROLLUPS,
    MAX_POINTS,
    Period,
    first_day_off_the_grid,
    points_in,
)
from analytics.selectors import MetricsQuery
from common.api.params import (
    ChoiceParam,
    CurrencyParam,
    DateParam,
    TextParam,
    TimezoneParam,
    date_order,
    invalid,
)
from common.sources import transaction_source_choices
from transactions.choices import Direction, Status

DEFAULT_DAYS = 30
MAX_DAYS = 3_660


class MetricsParams(serializers.Serializer):
    """``from_date``, ``to_date`` (local days, inclusive; default the last 30 days up to today), ``timezone``,
    ``source``, ``project``, ``status``, ``direction`` and ``currency``."""

    from_date = DateParam(help_text="first local day (default: 29 days before to_date); at most "
                                    f"{MAX_DAYS:,} days before to_date")
    to_date = DateParam(help_text="last local day, inclusive (default: today)")
    timezone = TimezoneParam(help_text="IANA time zone that cuts the days, e.g. Asia/Kolkata (default UTC)")
    source = ChoiceParam(transaction_source_choices)
    project = TextParam(max_length=64)
    status = ChoiceParam(Status.choices)
    direction = ChoiceParam(Direction.choices)
    currency = CurrencyParam(help_text="report amounts in this currency, converted with the stored FX rates of "
                                       "each day (ISO 4217); a 400 names the first day and currency without a rate")

    def validate(self, attrs):
        tz = attrs.get("timezone") or ZoneInfo("UTC")
        last = attrs.get("to_date") or datetime.now(tz).date()
        first = attrs.get("from_date") or last - timedelta(days=DEFAULT_DAYS - 1)
        date_order(first, last)
        if (last - first).days >= MAX_DAYS:
            raise invalid("from_date", f"a period of at most {MAX_DAYS} days", str(first))
        period = Period(first, last, tz)
        if off := first_day_off_the_grid(period):
            raise invalid("timezone", f"a time zone whose days start on a quarter hour (in {tz.key} {off[0]} starts at "
                                      f"UTC{_offset(off[1])}; the period and the one before it are compared)", tz.key)
        return {**attrs, "period": period}


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}" + (f":{seconds % 60:02d}" if seconds % 60 else "")


class TrendsParams(MetricsParams):
    granularity = ChoiceParam(GRANULARITIES, default="day",
                              help_text=f"5min, 15min, hour, day or week (weeks start on Monday); at most "
                                        f"{MAX_POINTS:,} points; 5min over at most {MAX_DAYS_FINER_THAN_ROLLUPS} "
                                        f"days (read from the transactions themselves: the finest totals kept "
                                        f"are of 15 minutes)")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["granularity"] in FINER_THAN_ROLLUPS and attrs["period"].days > MAX_DAYS_FINER_THAN_ROLLUPS:
            raise invalid("granularity", f"{attrs['granularity']} over at most {MAX_DAYS_FINER_THAN_ROLLUPS} days "
                          f"(a shorter period or a coarser granularity)", attrs["granularity"])
        if points_in(attrs["period"], attrs["granularity"]) > MAX_POINTS:
            raise invalid("granularity", f"at most {MAX_POINTS} points (a shorter period or a coarser granularity)",
                          attrs["granularity"])
        return attrs


def metrics_query(asked: dict, *, projects: frozenset[str] | None) -> MetricsQuery:
    """The MetricsQuery of validated ``MetricsParams`` over ``projects``: the caller's (the API checks the
    asked ``project`` against the token's limits first)."""
    return MetricsQuery(period=asked["period"], source=asked.get("source"), projects=projects,
                        status=asked.get("status"), direction=asked.get("direction"), currency=asked.get("currency"))
