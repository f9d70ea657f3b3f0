"""The metrics endpoints' query parameters → a MetricsQuery, with 400s that name what was wrong."""

from datetime import datetime, timedelta

from analytics.periods import GRANULARITIES, MAX_POINTS, Period, points_in
from analytics.selectors import MetricsQuery
from common.api.params import choice_param, currency_param, date_order, date_param, invalid, text_param, timezone_param
from common.api.scope import scoped_projects
from common.sources import transaction_source_choices
from transactions.choices import Direction, Status

DEFAULT_DAYS = 30
MAX_DAYS = 3_660


def metrics_query(request) -> MetricsQuery:
    """From ``from_date``, ``to_date`` (local days, inclusive; default the last 30 days up to today),
    ``timezone``, ``source``, ``project``, ``status``, ``direction`` and ``currency``."""
    params = request.query_params
    tz = timezone_param(params)
    today = datetime.now(tz).date()
    last = date_param(params, "to_date", today)
    first = date_param(params, "from_date", last - timedelta(days=DEFAULT_DAYS - 1))
    date_order(first, last)
    if (last - first).days >= MAX_DAYS:
        raise invalid("from_date", f"a period of at most {MAX_DAYS} days", str(first))
    return MetricsQuery(
        period=Period(first, last, tz),
        source=choice_param(params, "source", [name for name, _ in transaction_source_choices()]),
        projects=scoped_projects(request, text_param(params, "project", max_length=64)),
        status=choice_param(params, "status", Status.values),
        direction=choice_param(params, "direction", Direction.values),
        currency=currency_param(params),
    )


def granularity(request, query: MetricsQuery) -> str:
    chosen = choice_param(request.query_params, "granularity", GRANULARITIES, default="day")
    if points_in(query.period, chosen) > MAX_POINTS:
        raise invalid("granularity", f"at most {MAX_POINTS} points (a shorter period or a coarser granularity)",
                      chosen)
    return chosen
