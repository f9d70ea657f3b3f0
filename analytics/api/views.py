"""GET /api/v1/metrics/overview, /by-project, /by-status and /trends (SPEC 8), cached per SPEC 9."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.serializers import (
    OverviewSerializer,
    ProjectMetricsSerializer,
    StatusMetricsSerializer,
    TrendsAnswerSerializer,
)
from analytics.cached import cached_metric, cached_trends
from analytics.params import MetricsParams, TrendsParams, metrics_query
from analytics.selectors import MetricsQuery
from common.api.params import parsed
from common.api.schema import data_envelope
from common.api.scope import scoped_projects


def asked_query(request, params=MetricsParams) -> tuple[dict, MetricsQuery]:
    """The request's parameters, validated, and their MetricsQuery over the projects the caller may see."""
    asked = parsed(params, request.query_params)
    return asked, metrics_query(asked, projects=scoped_projects(request, asked.get("project")))


class _CachedMetricView(APIView):
    """A metric of the query's parameters, answered by ``cached_metric``; subclasses only name it."""

    name: str

    def get(self, request):
        return Response({"data": cached_metric(self.name, asked_query(request)[1])})


class OverviewView(_CachedMetricView):
    name = "overview"

    @extend_schema(operation_id="metrics_overview", parameters=[MetricsParams],
                   responses=data_envelope("MetricsOverview", OverviewSerializer()))
    def get(self, request):
        return super().get(request)


class ByProjectView(_CachedMetricView):
    name = "by-project"

    @extend_schema(operation_id="metrics_by_project", parameters=[MetricsParams],
                   responses=data_envelope("MetricsByProject", ProjectMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)


class ByStatusView(_CachedMetricView):
    name = "by-status"

    @extend_schema(operation_id="metrics_by_status", parameters=[MetricsParams],
                   responses=data_envelope("MetricsByStatus", StatusMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)


class TrendsView(APIView):
    @extend_schema(
        operation_id="metrics_trends",
        parameters=[TrendsParams],
        responses=data_envelope("MetricsTrends", TrendsAnswerSerializer()),
    )
    def get(self, request):
        asked, query = asked_query(request, TrendsParams)
        step = asked["granularity"]

        return Response({"data": cached_trends(query, step)})
