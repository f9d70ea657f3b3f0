"""/api/v1/ledger/reconciliations…: GL reconciliation runs (started as a task: 202) and the review of results."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import PageParams
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import answers, data_envelope, page_envelope
from common.api.scope import NotProjectLimited
from ledger.api import serializers as out
from ledger.api.views import page_of
from ledger.errors import refusals_documented
from ledger.models import GLReconciliationResult, GLReconciliationRun
from ledger.services.reconciliation import gl_results_review, gl_run_create

_RUNS = GLReconciliationRun.objects.select_related("created_by")


class GLRunListView(APIView):
    """GET runs, newest first; POST {as_of} queues a run (finance_manager) and answers 202 with it."""

    def get_permissions(self):
        return [IsFinanceManager() if self.request.method == "POST" else IsViewer(), NotProjectLimited()]

    @extend_schema(operation_id="ledger_gl_runs", parameters=[PageParams],
                   responses=page_envelope("LedgerGLRunPage", out.LedgerGLRunSerializer(many=True)))
    def get(self, request):
        return page_of(request, _RUNS.order_by("-id"), out.LedgerGLRunSerializer)

    @extend_schema(operation_id="ledger_gl_run_create", request=out.LedgerGLRunInputSerializer,
                   responses=answers({202: data_envelope("LedgerGLRunQueued", out.LedgerGLRunSerializer())},
                                     **refusals_documented()))
    def post(self, request):
        from ledger.tasks import gl_reconcile_run

        asked = out.LedgerGLRunInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        run = gl_run_create(as_of=asked.validated_data["as_of"], user=request.user)
        transaction.on_commit(lambda: gl_reconcile_run.delay(run.pk))
        return Response({"data": out.LedgerGLRunSerializer(run).data}, status=202)


class GLRunDetailView(APIView):
    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="ledger_gl_run",
                   responses=data_envelope("LedgerGLRunEnvelope", out.LedgerGLRunDetailSerializer()))
    def get(self, request, pk):
        run = get_object_or_404(_RUNS.prefetch_related("results__account", "results__reviewed_by"), pk=pk)
        return Response({"data": out.LedgerGLRunDetailSerializer(run).data})


class GLResultReviewView(APIView):
    """PATCH {action: acknowledged|resolved, reason} (a resolve needs a reason); finance_manager and above."""

    permission_classes = [IsFinanceManager, NotProjectLimited]

    @extend_schema(operation_id="ledger_gl_result_review", request=out.LedgerGLReviewSerializer,
                   responses=answers({200: data_envelope("LedgerGLResultEnvelope", out.LedgerGLResultSerializer())},
                                     **refusals_documented()))
    def patch(self, request, pk):
        results = GLReconciliationResult.objects.select_related("account", "reviewed_by")
        found = get_object_or_404(results, pk=pk)  # an exact lookup: an id past 64 bits is a 404, not a 500
        asked = out.LedgerGLReviewSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        gl_results_review(result_ids=[found.pk], user=request.user, **asked.validated_data)
        result = results.get(pk=found.pk)
        return Response({"data": out.LedgerGLResultSerializer(result).data})
