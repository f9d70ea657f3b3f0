"""/api/compat/v1/: the predecessor's API for the existing Next.js dashboard (flat bodies, JSON numbers).

Each view parses its request with the canonical endpoint's own parser, reads the canonical (cached) selectors
and only reshapes the answer (``compat.shapes``): no figure is computed a second way. Authentication,
roles, project limits, throttling and the error envelope are the canonical API's.
"""

from dataclasses import replace

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.params import granularity, metrics_query
from analytics.cached import cached_metric, cached_trends
from analytics.fx import MissingRateError
from analytics.params import MetricsParams, TrendsParams
from common.api.params import parsed
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.scope import NotProjectLimited
from common.cache import cached
from common.sources import source_choices
from compat import schema, shapes
from integrations.api.views import syncs_queue
from integrations.choices import SYNC_STATUS, SYNC_STATUS_TTL
from integrations.selectors import sync_status
from reconciliation.api.params import DiscrepancyParams, SummaryParams
from reconciliation.api.serializers import RUN_REQUEST_SCHEMA
from reconciliation.api.views import discrepancies_asked, run_requested, summary_asked
from transactions.api.exports import EXPORT_SCHEMA, TransactionExportView
from transactions.api.params import TransactionListParams
from transactions.api.views import transactions_page

TAG = "compat"
USD = "USD"


def _compat(**kwargs):
    return extend_schema(tags=[TAG], **kwargs)


class TransactionsView(APIView):
    count = None  # the rollups' count, handed in by compat/urls.py (as the canonical list's)

    @_compat(operation_id="compat_transactions", parameters=[TransactionListParams],
             responses=schema.TransactionPage)
    def get(self, request):
        return Response(shapes.transactions(transactions_page(request, count=self.count)))


class OverviewView(APIView):
    @_compat(operation_id="compat_metrics_overview", parameters=[MetricsParams], responses=schema.Overview)
    def get(self, request):
        query = metrics_query(request)
        return Response(shapes.overview(cached_metric("overview", query), _in_usd(query)))


def _in_usd(query) -> dict | None:
    """The overview in USD with the stored FX rates; None when a rate is missing (of this period or of the
    previous one it is compared with): no amount is guessed."""
    try:
        return cached_metric("overview", replace(query, currency=USD))
    except MissingRateError:
        return None


class ByProjectView(APIView):
    @_compat(operation_id="compat_metrics_by_project", parameters=[MetricsParams], responses=schema.ByProject)
    def get(self, request):
        return Response(shapes.by_project(cached_metric("by-project", metrics_query(request))))


class TrendsView(APIView):
    @_compat(operation_id="compat_metrics_trends",
             parameters=[TrendsParams],
             responses=schema.Trends)
    def get(self, request):
        query = metrics_query(request)
        step = granularity(request, query)
        return Response(shapes.trends(cached_trends(query, step), step))


class SyncStatusView(APIView):
    permission_classes = [IsViewer, NotProjectLimited]

    @_compat(operation_id="compat_sync_status", responses=schema.SyncStatus)
    def get(self, request):
        return Response(shapes.sync_status(cached(SYNC_STATUS, "status", ttl=SYNC_STATUS_TTL, compute=sync_status)))


class SyncTriggerView(APIView):
    permission_classes = [IsFinanceManager, NotProjectLimited]

    @_compat(operation_id="compat_sync_trigger", request=None, responses={202: schema.SyncQueued})
    def post(self, request, source: str):
        if source not in dict(source_choices()):
            raise NotFound(f"no source {source!r}; the sources are {', '.join(sorted(dict(source_choices())))}")
        queued = syncs_queue([source])[0]
        return Response({"source": source, "status": "queued", "task_id": queued["task_id"]},
                        status=status.HTTP_202_ACCEPTED)


class ReconciliationSummaryView(APIView):
    @_compat(operation_id="compat_reconciliation_summary",
             parameters=[SummaryParams],
             responses=schema.ReconciliationSummary)
    def get(self, request):
        return Response(shapes.reconciliation_summary(summary_asked(request)))


class DiscrepanciesView(APIView):
    @_compat(operation_id="compat_reconciliation_discrepancies", parameters=[DiscrepancyParams],
             responses=schema.Discrepancies)
    def get(self, request):
        asked = parsed(DiscrepancyParams, request.query_params)
        results = discrepancies_asked(request, asked)
        limit, page = asked["limit"], asked["page"]
        rows = results[(page - 1) * limit:page * limit]
        return Response({"items": [shapes.discrepancy(result) for result in rows], "total": results.count()})


class ReconciliationRunView(APIView):
    permission_classes = [IsFinanceManager, NotProjectLimited]

    @_compat(operation_id="compat_reconciliation_run", request={"application/json": RUN_REQUEST_SCHEMA},
             responses={202: schema.RunQueued})
    def post(self, request):
        run = run_requested(request)
        return Response({"run_id": run.pk, "status": run.status, "date_from": run.date_from, "date_to": run.date_to},
                        status=status.HTTP_202_ACCEPTED)


class ExportTransactionsView(TransactionExportView):
    """The canonical export, under the compat prefix and tag (same parameters, same streamed file)."""

    @_compat(operation_id="compat_export_transactions", **EXPORT_SCHEMA)
    def get(self, request):
        return super().get(request)
