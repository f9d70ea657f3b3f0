"""GET /api/v1/metrics/overview, /by-project, /by-status and /trends (SPEC 8), cached per SPEC 9."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.params import granularity, metrics_query
from analytics.api.serializers import (
    OverviewSerializer,
    ProjectMetricsSerializer,
    StatusMetricsSerializer,
    TrendsAnswerSerializer,
)
from analytics.cache_namespaces import BY_PROJECT_TTL, BY_STATUS_TTL, METRICS, OVERVIEW_TTL, TRENDS_TTL
from analytics.periods import GRANULARITIES
from common.api.schema import data_envelope
from common.cache import cached
from common.sources import transaction_source_choices

PARAMETERS = [
    OpenApiParameter("from_date", str, description="first local day, YYYY-MM-DD (default: 29 days before to_date)"),
    OpenApiParameter("to_date", str, description="last local day, inclusive, YYYY-MM-DD (default: today)"),
    OpenApiParameter("timezone", str, description="IANA time zone that cuts the days, e.g. Asia/Kolkata (default UTC)"),
    OpenApiParameter("source", str, enum=[name for name, _ in transaction_source_choices()]),
    OpenApiParameter("project", str),
    OpenApiParameter("status", str, enum=["success", "failed", "pending", "processing", "refunded"]),
    OpenApiParameter("direction", str, enum=["payin", "payout"]),
    OpenApiParameter("currency", str, description="report amounts in this currency, converted with the stored "
                                                  "FX rates of each day (ISO 4217)"),
]


class _CachedMetricView(APIView):
    """A metric of the query's parameters, answered by ``cached_metric``; subclasses only name it."""

    name: str

    def get(self, request):
        return Response({"data": cached_metric(self.name, metrics_query(request))})


class OverviewView(_CachedMetricView):
    name = "overview"

    @extend_schema(operation_id="metrics_overview", parameters=PARAMETERS,
                   responses=data_envelope("MetricsOverview", OverviewSerializer()))
    def get(self, request):
        return super().get(request)


class ByProjectView(_CachedMetricView):
    name = "by-project"

    @extend_schema(operation_id="metrics_by_project", parameters=PARAMETERS,
                   responses=data_envelope("MetricsByProject", ProjectMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)


class ByStatusView(_CachedMetricView):
    name = "by-status"

    @extend_schema(operation_id="metrics_by_status", parameters=PARAMETERS,
                   responses=data_envelope("MetricsByStatus", StatusMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)


class TrendsView(APIView):
    @extend_schema(
        operation_id="metrics_trends",
        parameters=[*PARAMETERS, OpenApiParameter("granularity", str, enum=list(GRANULARITIES),
                                                  description="15min, hour, day or week (weeks start on Monday)")],
        responses=data_envelope("MetricsTrends", TrendsAnswerSerializer()),
    )
    def get(self, request):
        query = metrics_query(request)
        step = granularity(request, query)

        return Response({"data": cached_trends(query, step)})


# The cached metrics by name: (selector, time to live). The compat API reads them through the same cache keys.
_METRICS = {"overview": (selectors.overview, OVERVIEW_TTL), "by-project": (selectors.by_project, BY_PROJECT_TTL),
            "by-status": (selectors.by_status, BY_STATUS_TTL)}


def cached_metric(name: str, query):
    """The metric ``name`` of ``query`` from the cache (namespace ``metrics``), or computed and cached."""
    select, ttl = _METRICS[name]
    return cached(METRICS, f"{name}|{query.cache_key()}", ttl=ttl, compute=lambda: select(query))


def cached_trends(query, step: str) -> dict:
    def compute():
        return {"period": query.period.as_dict(), "granularity": step,
                "points": selectors.trends(query, granularity=step)}

    return cached(METRICS, f"trends|{step}|{query.cache_key()}", ttl=TRENDS_TTL, compute=compute)
