"""Routes of /api/compat/v1/ (the predecessor's paths)."""

from django.urls import path

from analytics.selectors import transactions_count
from compat import views

urlpatterns = [
    path("transactions", views.TransactionsView.as_view(count=transactions_count), name="compat-transactions"),
    path("metrics/overview", views.OverviewView.as_view(), name="compat-metrics-overview"),
    path("metrics/by-project", views.ByProjectView.as_view(), name="compat-metrics-by-project"),
    path("metrics/trends", views.TrendsView.as_view(), name="compat-metrics-trends"),
    path("sync/status", views.SyncStatusView.as_view(), name="compat-sync-status"),
    path("sync/trigger/<str:source>", views.SyncTriggerView.as_view(), name="compat-sync-trigger"),
    path("reconciliation/summary", views.ReconciliationSummaryView.as_view(), name="compat-reconciliation-summary"),
    path("reconciliation/discrepancies", views.DiscrepanciesView.as_view(), name="compat-reconciliation-discrepancies"),
    path("reconciliation/run", views.ReconciliationRunView.as_view(), name="compat-reconciliation-run"),
    path("export/transactions", views.ExportTransactionsView.as_view(), name="compat-export-transactions"),
]
