"""GET /api/v1/planning/year-performance and /plans-performance, POST /plans/import (SPEC 12)."""

from datetime import date

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import date_param, invalid, text_param
from common.api.parsers import BoundedMultiPartParser
from common.api.permissions import IsFinanceManager
from common.api.schema import data_envelope
from planning import selectors, services
from planning.api.serializers import PlanImportSerializer
from planning.plan_files import table_from_bytes

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


class PlanImportView(APIView):
    """A plan file in (multipart ``file``), all or nothing; ``preview=true`` checks it and writes nothing."""

    permission_classes = [IsFinanceManager]
    parser_classes = [BoundedMultiPartParser]

    @property
    def max_upload_bytes(self) -> int:
        return settings.PLAN_IMPORT_MAX_BYTES

    @extend_schema(operation_id="planning_plans_import", request=PlanImportSerializer,
                   responses={200: data_envelope("PlanImportPreview", serializers.DictField()),
                              201: data_envelope("PlanImportWritten", serializers.DictField())},
                   description="Columns month, category_name, sum (optionally project, currency). Every problem of "
                               "a bad file is listed in error.details.problems with its row and column; nothing "
                               "of a bad file is written.")
    def post(self, request):
        form = PlanImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        table = table_from_bytes(name=upload.name or "", content=upload.read())
        result = services.plans_import(table=table, project=form.validated_data["project"],
                                       currency=form.validated_data["currency"] or settings.PLANS_DEFAULT_CURRENCY,
                                       preview=form.validated_data["preview"])
        data = {"preview": form.validated_data["preview"], "written": len(result.written),
                "plans": [plan.as_dict() for plan in result.plans]}
        return Response({"data": data}, status=200 if form.validated_data["preview"] else 201)
