"""GET /api/v1/planning/year-performance and /plans-performance (SPEC 12)."""

from datetime import date

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import DateParam, TextParam, WholeNumberParam, parsed
from common.api.schema import data_envelope
from planning import selectors


class _ProjectParams(serializers.Serializer):
    project = TextParam(max_length=64, help_text="the plans of this project (default: plans without one)")


class YearParams(_ProjectParams):
    year = WholeNumberParam(minimum=1970, maximum=2199, help_text="default: this year")


class PlansParams(_ProjectParams):
    date = DateParam(help_text="default: today")


class YearPerformanceView(APIView):
    @extend_schema(operation_id="planning_year_performance",
                   parameters=[YearParams],
                   responses=data_envelope("YearPerformance", serializers.DictField()))
    def get(self, request):
        asked = parsed(YearParams, request.query_params)
        data = selectors.year_performance(year=asked.get("year") or date.today().year,
                                          project=asked.get("project") or "")
        return Response({"data": data})


class PlansPerformanceView(APIView):
    @extend_schema(operation_id="planning_plans_performance",
                   parameters=[PlansParams],
                   responses=data_envelope("PlansPerformance", serializers.ListField()))
    def get(self, request):
        asked = parsed(PlansParams, request.query_params)
        return Response({"data": selectors.plans_performance(as_of=asked.get("date") or date.today(),
                                                             project=asked.get("project") or "")})
