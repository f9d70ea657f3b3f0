"""GET /api/v1/metrics/overview, /by-project, /by-status and /trends (SPEC 8), cached per SPEC 9."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.params import granularity, metrics_query
from analytics.api.serializers import (
    OverviewSerializer,
    ProjectMetricsSerializer,
    StatusMetricsSerializer,
    TrendsAnswerSerializer,
)
from analytics.cached import cached_metric, cached_trends
from analytics.periods import GRANULARITIES
from common.api.schema import data_envelope
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
