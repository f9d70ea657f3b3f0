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
    """A metric of the query's parameters, answered from the cache (namespace ``metrics``) or computed
    by ``select`` and cached for ``ttl`` seconds; subclasses only name it."""

    name: str
    ttl: int

    def select(self, query):
        raise NotImplementedError

    def get(self, request):
        query = metrics_query(request)
        data = cached(METRICS, f"{self.name}|{query.cache_key()}", ttl=self.ttl, compute=lambda: self.select(query))
        return Response({"data": data})


class OverviewView(_CachedMetricView):
    name, ttl = "overview", OVERVIEW_TTL

    @extend_schema(operation_id="metrics_overview", parameters=PARAMETERS,
                   responses=data_envelope("MetricsOverview", OverviewSerializer()))
    def get(self, request):
        return super().get(request)

    def select(self, query):
        return selectors.overview(query)


class ByProjectView(_CachedMetricView):
    name, ttl = "by-project", BY_PROJECT_TTL

    @extend_schema(operation_id="metrics_by_project", parameters=PARAMETERS,
                   responses=data_envelope("MetricsByProject", ProjectMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)

    def select(self, query):
        return selectors.by_project(query)


class ByStatusView(_CachedMetricView):
    name, ttl = "by-status", BY_STATUS_TTL

    @extend_schema(operation_id="metrics_by_status", parameters=PARAMETERS,
                   responses=data_envelope("MetricsByStatus", StatusMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)

    def select(self, query):
        return selectors.by_status(query)


class TrendsView(APIView):
    @extend_schema(
        operation_id="metrics_trends",
        parameters=[*PARAMETERS, OpenApiParameter("granularity", str, enum=list(GRANULARITIES),
                                                  description="hour, day or week (weeks start on Monday)")],
        responses=data_envelope("MetricsTrends", TrendsAnswerSerializer()),
    )
    def get(self, request):
        query = metrics_query(request)
        step = granularity(request, query)

        def compute():
            return {"period": query.period.as_dict(), "granularity": step,
                    "points": selectors.trends(query, granularity=step)}

        return Response({"data": cached(METRICS, f"trends|{step}|{query.cache_key()}", ttl=TRENDS_TTL,
                                        compute=compute)})
