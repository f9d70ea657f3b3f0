"""Routes of /api/v1/, one include per app."""

from django.urls import include, path

from analytics.api.views import ByProjectView, ByStatusView, OverviewView, TrendsView
from analytics.selectors import transactions_count
from common.api.files import PreparedFileView
from common.api.views import HealthView
from integrations.api.views import SyncStatusView, SyncTriggerView
from lending.api.views import BorrowerCreditsView
from planning.api.exports import PlansPerformanceExportView, YearPerformanceExportView
from planning.api.views import PaymentVolumesView, PlanImportView, PlansPerformanceView, YearPerformanceView
from reconciliation.api.exports import ReconciliationExportView
from reconciliation.api.views import DiscrepancyListView, ResultDetailView, RunDetailView, RunView, SummaryView
from transactions.api.exports import TransactionExportView
from transactions.api.views import TransactionDetailView, TransactionListView

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("sync/status", SyncStatusView.as_view(), name="sync-status"),
    path("sync/trigger", SyncTriggerView.as_view(), name="sync-trigger"),
    path("export/transactions", TransactionExportView.as_view(), name="export-transactions"),
    # The list's total comes from the rollups (analytics), handed in here: transactions imports no analytics.
    path("transactions", TransactionListView.as_view(count=transactions_count), name="transactions"),
    path("transactions/<uuid:pk>", TransactionDetailView.as_view(), name="transaction-detail"),
    path("metrics/overview", OverviewView.as_view(), name="metrics-overview"),
    path("metrics/by-project", ByProjectView.as_view(), name="metrics-by-project"),
    path("metrics/by-status", ByStatusView.as_view(), name="metrics-by-status"),
    path("metrics/trends", TrendsView.as_view(), name="metrics-trends"),
    path("export/reconciliation", ReconciliationExportView.as_view(), name="export-reconciliation"),
    path("files/<int:pk>", PreparedFileView.as_view(), name="prepared-file"),
    path("reconciliation/summary", SummaryView.as_view(), name="reconciliation-summary"),
    path("reconciliation/discrepancies", DiscrepancyListView.as_view(), name="reconciliation-discrepancies"),
    path("reconciliation/run", RunView.as_view(), name="reconciliation-run"),
    path("reconciliation/runs/<int:pk>", RunDetailView.as_view(), name="reconciliation-run-detail"),
    path("reconciliation/results/<int:pk>", ResultDetailView.as_view(), name="reconciliation-result"),
    path("planning/year-performance", YearPerformanceView.as_view(), name="planning-year-performance"),
    path("credit-portfolio/", include("credit_portfolio.api.urls")),
    path("ledger/", include("ledger.api.urls")),
    path("planning/plans-performance", PlansPerformanceView.as_view(), name="planning-plans-performance"),
    path("export/planning/year-performance", YearPerformanceExportView.as_view(),
         name="export-planning-year-performance"),
    path("export/planning/plans-performance", PlansPerformanceExportView.as_view(),
         name="export-planning-plans-performance"),
    path("planning/payment-volumes", PaymentVolumesView.as_view(), name="planning-payment-volumes"),
    path("planning/plans/import", PlanImportView.as_view(), name="planning-plans-import"),
    path("lending/borrowers/<int:pk>/credits", BorrowerCreditsView.as_view(), name="lending-borrower-credits"),
    path("", include("forecasting.api.urls")),
]
