"""GET /api/v1/metrics/overview, /by-project, /by-status and /trends (SPEC 8), cached per SPEC 9."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.api.serializers import (
    OverviewSerializer,
    ProjectMetricsSerializer,
    StatusMetricsSerializer,
    TrendsAnswerSerializer,
)
from analytics.cache_namespaces import BY_PROJECT_TTL, BY_STATUS_TTL, METRICS, OVERVIEW_TTL, TRENDS_TTL
from analytics.params import MetricsParams, TrendsParams, metrics_query
from common.api.params import parsed
from common.api.schema import data_envelope
from common.api.scope import scoped_projects
from common.cache import cached


def asked_query(request, params=MetricsParams) -> tuple[dict, selectors.MetricsQuery]:
    """The request's parameters, validated, and their MetricsQuery over the projects the caller may see."""
    asked = parsed(params, request.query_params)
    return asked, metrics_query(asked, projects=scoped_projects(request, asked.get("project")))


class _CachedMetricView(APIView):
    """A metric of the query's parameters, answered from the cache (namespace ``metrics``) or computed
    by ``select`` and cached for ``ttl`` seconds; subclasses only name it."""

    name: str
    ttl: int

    def select(self, query):
        raise NotImplementedError

    def get(self, request):
        _, query = asked_query(request)
        data = cached(METRICS, f"{self.name}|{query.cache_key()}", ttl=self.ttl, compute=lambda: self.select(query))
        return Response({"data": data})


class OverviewView(_CachedMetricView):
    name, ttl = "overview", OVERVIEW_TTL

    @extend_schema(operation_id="metrics_overview", parameters=[MetricsParams],
                   responses=data_envelope("MetricsOverview", OverviewSerializer()))
    def get(self, request):
        return super().get(request)

    def select(self, query):
        return selectors.overview(query)


class ByProjectView(_CachedMetricView):
    name, ttl = "by-project", BY_PROJECT_TTL

    @extend_schema(operation_id="metrics_by_project", parameters=[MetricsParams],
                   responses=data_envelope("MetricsByProject", ProjectMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)

    def select(self, query):
        return selectors.by_project(query)


class ByStatusView(_CachedMetricView):
    name, ttl = "by-status", BY_STATUS_TTL

    @extend_schema(operation_id="metrics_by_status", parameters=[MetricsParams],
                   responses=data_envelope("MetricsByStatus", StatusMetricsSerializer(many=True)))
    def get(self, request):
        return super().get(request)

    def select(self, query):
        return selectors.by_status(query)


class TrendsView(APIView):
    @extend_schema(
        operation_id="metrics_trends",
        parameters=[TrendsParams],
        responses=data_envelope("MetricsTrends", TrendsAnswerSerializer()),
    )
    def get(self, request):
        asked, query = asked_query(request, TrendsParams)
        step = asked["granularity"]

        def compute():
            return {"period": query.period.as_dict(), "granularity": step,
                    "points": selectors.trends(query, granularity=step)}

        return Response({"data": cached(METRICS, f"trends|{step}|{query.cache_key()}", ttl=TRENDS_TTL,
                                        compute=compute)})
