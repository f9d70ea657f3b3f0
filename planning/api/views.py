"""GET /api/v1/planning/year-performance and /plans-performance (SPEC 12)."""

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import date_param, invalid, text_param
from common.api.schema import data_envelope
from planning import selectors

_PROJECT = OpenApiParameter("project", str, description="the plans of this project (default: plans without one)")


def _year(params) -> int:
    raw = params.get("year") or str(date.today().year)
    if not (raw.isdigit() and len(raw) == 4 and 1970 <= int(raw) <= 2199):
        raise invalid("year", "a year such as 2026", raw)
    return int(raw)


class YearPerformanceView(APIView):
    @extend_schema(operation_id="planning_year_performance",
                   parameters=[OpenApiParameter("year", int, description="default: this year"), _PROJECT],
                   responses=data_envelope("YearPerformance", serializers.DictField()))
    def get(self, request):
        params = request.query_params
        data = selectors.year_performance(year=_year(params), project=text_param(params, "project", max_length=64)
                                          or "")
        return Response({"data": data})


class PlansPerformanceView(APIView):
    @extend_schema(operation_id="planning_plans_performance",
                   parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD (default: today)"), _PROJECT],
                   responses=data_envelope("PlansPerformance", serializers.ListField()))
    def get(self, request):
        params = request.query_params
        as_of = date_param(params, "date", date.today())
        project = text_param(params, "project", max_length=64) or ""
        return Response({"data": selectors.plans_performance(as_of=as_of, project=project)})
