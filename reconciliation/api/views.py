"""/api/v1/reconciliation/…: summary of a date, discrepancies, runs, results and their review (SPEC 7, 8)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import envelope, limit_param, page_param
from common.api.params import choice_param, date_order, date_param, invalid, text_param
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import PAGE_PARAMETERS, data_envelope, page_envelope
from common.api.scope import NotProjectLimited, limit_queryset, scoped_projects
from common.cache import cached
from reconciliation import selectors
from reconciliation.api.serializers import (
    ResultDetailSerializer,
    ResultSerializer,
    ReviewSerializer,
    RunRequestSerializer,
    RunSerializer,
    SummarySerializer,
)
from reconciliation.cache_namespaces import RECONCILIATION, SUMMARY_TTL
from reconciliation.choices import DISCREPANCY_TYPES, ReviewState, Trigger
from reconciliation.models import ReconciliationResult, ReconciliationRun
from reconciliation.services import MAX_RANGE_DAYS, reconciliation_queue, results_review
from reconciliation.tasks import enqueue_run

DEFAULT_DAYS = 30


def _today():
    return datetime.now(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date()


class SummaryView(APIView):
    @extend_schema(
        operation_id="reconciliation_summary",
        parameters=[OpenApiParameter("date", str, required=True, description="business day, YYYY-MM-DD"),
                    OpenApiParameter("project", str)],
        responses=data_envelope("ReconciliationSummary", SummarySerializer()),
    )
    def get(self, request):
        return Response({"data": summary_asked(request)})


def summary_asked(request) -> dict:
    """The (cached) summary of the query's ``date`` and ``project``, within the caller's projects."""
    params = request.query_params
    day = date_param(params, "date")
    if day is None:
        raise invalid("date", "a date as YYYY-MM-DD", params.get("date", ""))
    projects = scoped_projects(request, text_param(params, "project", max_length=64))
    key = f"summary|{day}|{','.join(sorted(projects)) if projects is not None else '*'}"
    return cached(RECONCILIATION, key, ttl=SUMMARY_TTL, compute=lambda: selectors.summary(day=day, projects=projects))


class DiscrepancyListView(APIView):
    @extend_schema(
        operation_id="reconciliation_discrepancies",
        parameters=[
            OpenApiParameter("from_date", str, description="first business day, YYYY-MM-DD (default: 29 days before "
                                                           "to_date)"),
            OpenApiParameter("to_date", str, description="last business day, inclusive (default: today)"),
            OpenApiParameter("type", str, enum=list(DISCREPANCY_TYPES)),
            OpenApiParameter("review_state", str, enum=list(ReviewState.values)),
            OpenApiParameter("project", str),
            *PAGE_PARAMETERS,
        ],
        responses=page_envelope("DiscrepancyPage", ResultSerializer(many=True)),
    )
    def get(self, request):
        params = request.query_params
        results = discrepancies_asked(request).select_related("assignee")
        limit, page = limit_param(params), page_param(params)
        rows = list(results[(page - 1) * limit:page * limit])
        return envelope(ResultSerializer(rows, many=True).data, page=page, limit=limit, total=results.count(),
                        next_cursor=None)


def discrepancies_asked(request):
    """The current discrepancies the query parameters ask for (period, type, review state, project), within the
    caller's projects."""
    params = request.query_params
    last = date_param(params, "to_date", _today())
    first = date_param(params, "from_date", last - timedelta(days=DEFAULT_DAYS - 1))
    date_order(first, last)
    if (last - first).days >= MAX_RANGE_DAYS:
        raise invalid("from_date", f"a period of at most {MAX_RANGE_DAYS} days", str(first))
    return selectors.discrepancies(
        date_from=first, date_to=last, result_type=choice_param(params, "type", DISCREPANCY_TYPES),
        review_state=choice_param(params, "review_state", ReviewState.values),
        projects=scoped_projects(request, text_param(params, "project", max_length=64)),
    )


class ResultDetailView(APIView):
    """GET one result with its review history; PATCH its review (finance_manager and above)."""

    def get_permissions(self):
        return [IsFinanceManager()] if self.request.method == "PATCH" else [IsViewer()]

    def _result(self, request, pk) -> ReconciliationResult:
        visible = limit_queryset(ReconciliationResult.objects.of_succeeded_runs().select_related("assignee"), request)
        return get_object_or_404(visible, pk=pk)

    @extend_schema(operation_id="reconciliation_result",
                   responses=data_envelope("ReconciliationResultEnvelope", ResultDetailSerializer()))
    def get(self, request, pk):
        return Response({"data": ResultDetailSerializer(self._result(request, pk)).data})

    @extend_schema(operation_id="reconciliation_result_review", request=ReviewSerializer,
                   responses=data_envelope("ReconciliationResultReviewed", ResultDetailSerializer()))
    def patch(self, request, pk):
        result = self._result(request, pk)
        asked = ReviewSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        results_review(result_ids=[result.pk], user=request.user, **asked.validated_data)
        return Response({"data": ResultDetailSerializer(self._result(request, pk)).data})


class RunView(APIView):
    """POST starts a run as a task and answers at once with its id and state (finance_manager and above)."""

    permission_classes = [IsFinanceManager, NotProjectLimited]

    @extend_schema(operation_id="reconciliation_run", request=RunRequestSerializer,
                   responses={202: data_envelope("ReconciliationRunQueued", RunSerializer())})
    def post(self, request):
        return Response({"data": RunSerializer(run_requested(request)).data}, status=status.HTTP_202_ACCEPTED)


def run_requested(request) -> ReconciliationRun:
    """The run the body asks for (``date``, or ``date_from`` and ``date_to``), queued for a worker."""
    asked = RunRequestSerializer(data=request.data)
    asked.is_valid(raise_exception=True)
    run = reconciliation_queue(**asked.validated_data, trigger=Trigger.API, user=request.user)
    enqueue_run(run)
    return run


class RunDetailView(APIView):
    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="reconciliation_run_detail",
                   responses=data_envelope("ReconciliationRunEnvelope", RunSerializer()))
    def get(self, request, pk):
        return Response({"data": RunSerializer(get_object_or_404(ReconciliationRun, pk=pk)).data})
