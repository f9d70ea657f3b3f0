"""The metrics' parameters read from a request, for the compat namespace's views: ``analytics.params`` does
the reading (the same serializers as the metrics endpoints)."""

from analytics.params import MetricsParams, TrendsParams
from analytics.params import metrics_query as query_of
from analytics.selectors import MetricsQuery
from common.api.params import parsed
from common.api.scope import scoped_projects


def metrics_query(request) -> MetricsQuery:
    asked = parsed(MetricsParams, request.query_params)
    return query_of(asked, projects=scoped_projects(request, asked.get("project")))


def granularity(request, query: MetricsQuery) -> str:
    """The request's ``granularity`` (default day), checked against ``query``'s period."""
    return parsed(TrendsParams, request.query_params)["granularity"]
