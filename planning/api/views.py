"""GET /api/v1/planning/year-performance, /plans-performance, /payment-volumes; POST /plans/import (SPEC 12)."""

from datetime import date

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import parsed
from common.api.parsers import BoundedMultiPartParser
from common.api.permissions import IsFinanceManager
from common.api.schema import data_envelope
from common.api.scope import allowed_projects, scoped_projects
from common.cache import cached
from planning import selectors, services
from planning.api.cached_json import cached_json
from planning.api.params import PaymentVolumesParams, PlansPerformanceParams, YearParams
from planning.api.serializers import PlanImportSerializer
from planning.cache_namespaces import ANSWER_TTL, PAYMENT_VOLUMES, PLANS_PERFORMANCE, YEAR_PERFORMANCE
from planning.plan_files import table_from_bytes


def _plan_project(request, asked: str | None) -> str:
    """The ``project`` whose plans to answer ("" for plans without one); a project-limited token must name
    one of its projects, since plans without a project are the whole lender's."""
    asked = asked or ""
    allowed = allowed_projects(request)
    if allowed is not None and not asked:
        raise PermissionDenied(f"this token is limited to the projects {', '.join(sorted(allowed))}; "
                               "name one of them in project")
    scoped_projects(request, asked or None)
    return asked


def year_performance_answer(request, asked: dict | None = None) -> dict:
    """The year performance the request asks for (``asked``: its validated ``YearParams``, else read here), from
    the cache (``planning.year``) or computed."""
    asked = asked if asked is not None else parsed(YearParams, request.query_params)
    year, project = asked["year"], _plan_project(request, asked.get("project"))
    return cached(YEAR_PERFORMANCE, f"{year}|{project}", ttl=ANSWER_TTL,
                  compute=lambda: selectors.year_performance(year=year, project=project))


def plans_performance_answer(request, asked: dict | None = None) -> tuple[date, list[dict]]:
    """The date and the plans performance the request asks for (``asked``: its validated
    ``PlansPerformanceParams``, else read here), from the cache (``planning.plans``) or computed."""
    asked = asked if asked is not None else parsed(PlansPerformanceParams, request.query_params)
    as_of, project = asked["date"], _plan_project(request, asked.get("project"))
    return as_of, cached(PLANS_PERFORMANCE, f"{as_of}|{project}", ttl=ANSWER_TTL,
                         compute=lambda: selectors.plans_performance(as_of=as_of, project=project))


class YearPerformanceView(APIView):
    @extend_schema(operation_id="planning_year_performance",
                   parameters=[YearParams],
                   responses=data_envelope("YearPerformance", serializers.DictField()))
    def get(self, request):
        asked = parsed(YearParams, request.query_params)
        year, project = asked["year"], _plan_project(request, asked.get("project"))
        return cached_json(YEAR_PERFORMANCE, f"{year}|{project}", ttl=ANSWER_TTL,
                           compute=lambda: selectors.year_performance(year=year, project=project))


class PlansPerformanceView(APIView):
    @extend_schema(operation_id="planning_plans_performance",
                   parameters=[PlansPerformanceParams],
                   responses=data_envelope("PlansPerformance", serializers.ListField()))
    def get(self, request):
        asked = parsed(PlansPerformanceParams, request.query_params)
        as_of, project = asked["date"], _plan_project(request, asked.get("project"))
        return cached_json(PLANS_PERFORMANCE, f"{as_of}|{project}", ttl=ANSWER_TTL,
                           compute=lambda: selectors.plans_performance(as_of=as_of, project=project))


class PaymentVolumesView(APIView):
    @extend_schema(operation_id="planning_payment_volumes",
                   parameters=[PaymentVolumesParams],
                   responses=data_envelope("PaymentVolumes", serializers.ListField()),
                   description="Plans of the payin_volume and payout_volume categories per project, month and "
                               "currency against the successful transactions of the rollups.")
    def get(self, request):
        asked = parsed(PaymentVolumesParams, request.query_params)
        year, projects = asked["year"], scoped_projects(request, asked.get("project"))
        key = f"{year}|{','.join(sorted(projects)) if projects is not None else '*'}"
        data = cached(PAYMENT_VOLUMES, key, ttl=ANSWER_TTL,
                      compute=lambda: selectors.payment_volumes(year=year, projects=projects))
        return Response({"data": data})


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
                                       preview=form.validated_data["preview"], allowed=allowed_projects(request))
        data = {"preview": form.validated_data["preview"], "written": len(result.written),
                "plans": [plan.as_dict() for plan in result.plans]}
        return Response({"data": data}, status=200 if form.validated_data["preview"] else 201)
