"""/api/v1/reconciliation/…: summary of a date, discrepancies, runs, results and their review (SPEC 7, 8)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import envelope
from common.api.params import parsed
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import data_envelope, page_envelope
from common.api.scope import NotProjectLimited, limit_queryset, scoped_projects
from common.cache import cached
from reconciliation import selectors
from reconciliation.api.params import DiscrepancyParams, SummaryParams
from reconciliation.api.serializers import (
    RUN_REQUEST_SCHEMA,
    ResultDetailSerializer,
    ResultSerializer,
    ReviewSerializer,
    RunRequestSerializer,
    RunSerializer,
    SummarySerializer,
)
from reconciliation.cache_namespaces import RECONCILIATION, SUMMARY_TTL
from reconciliation.choices import Trigger
from reconciliation.models import ReconciliationResult, ReconciliationRun
from reconciliation.services import reconciliation_queue, results_review
from reconciliation.tasks import enqueue_run


class SummaryView(APIView):
    @extend_schema(
        operation_id="reconciliation_summary",
        parameters=[SummaryParams],
        responses=data_envelope("ReconciliationSummary", SummarySerializer()),
    )
    def get(self, request):
        return Response({"data": summary_asked(request)})


def summary_asked(request) -> dict:
    """The (cached) summary of the query's ``date`` and ``project``, within the caller's projects."""
    asked = parsed(SummaryParams, request.query_params)
    day, projects = asked["date"], scoped_projects(request, asked.get("project"))
    key = f"summary|{day}|{','.join(sorted(projects)) if projects is not None else '*'}"
    return cached(RECONCILIATION, key, ttl=SUMMARY_TTL, compute=lambda: selectors.summary(day=day, projects=projects))


class DiscrepancyListView(APIView):
    @extend_schema(
        operation_id="reconciliation_discrepancies",
        parameters=[DiscrepancyParams],
        responses=page_envelope("DiscrepancyPage", ResultSerializer(many=True)),
    )
    def get(self, request):
        asked = parsed(DiscrepancyParams, request.query_params)
        results = discrepancies_asked(request, asked).select_related("assignee")
        limit, page = asked["limit"], asked["page"]
        rows = list(results[(page - 1) * limit:page * limit])
        return envelope(ResultSerializer(rows, many=True).data, page=page, limit=limit, total=results.count(),
                        next_cursor=None)


def discrepancies_asked(request, asked: dict | None = None):
    """The current discrepancies the query parameters ask for (period, type, review state, project), within the
    caller's projects."""
    asked = asked if asked is not None else parsed(DiscrepancyParams, request.query_params)
    return selectors.discrepancies(
        date_from=asked["from_date"], date_to=asked["to_date"], result_type=asked.get("type"),
        review_state=asked.get("review_state"), projects=scoped_projects(request, asked.get("project")),
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

    @extend_schema(operation_id="reconciliation_run", request={"application/json": RUN_REQUEST_SCHEMA},
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
