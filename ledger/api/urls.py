"""Routes of /api/v1/ledger/."""

from django.urls import path

from ledger.api import reconciliation, reports, views

urlpatterns = [
    path("accounts", views.AccountListView.as_view(), name="ledger-accounts"),
    path("vouchers", views.VoucherListView.as_view(), name="ledger-vouchers"),
    path("vouchers/<int:pk>", views.VoucherDetailView.as_view(), name="ledger-voucher"),
    *[path(f"vouchers/<int:pk>/{action}", views.VoucherActionView.as_view(action_name=action),
           name=f"ledger-voucher-{action}") for action in ("review", "post", "cancel", "reverse")],
    path("bulk", views.BulkView.as_view(), name="ledger-bulk"),
    path("periods", views.PeriodListView.as_view(), name="ledger-periods"),
    *[path(f"periods/<int:pk>/{action}", views.PeriodActionView.as_view(action_name=action),
           name=f"ledger-period-{action}") for action in ("close", "lock", "reopen")],
    path("rules", views.RuleListView.as_view(), name="ledger-rules"),
    path("balances", views.BalanceListView.as_view(), name="ledger-balances"),
    path("trial-balance", views.TrialBalanceView.as_view(), name="ledger-trial-balance"),
    path("statement", views.StatementView.as_view(), name="ledger-statement"),
    path("reports/<str:kind>", reports.ReportView.as_view(), name="ledger-report"),
    path("reconciliations", reconciliation.GLRunListView.as_view(), name="ledger-gl-runs"),
    path("reconciliations/<int:pk>", reconciliation.GLRunDetailView.as_view(), name="ledger-gl-run"),
    path("reconciliation-results/<int:pk>", reconciliation.GLResultReviewView.as_view(), name="ledger-gl-result"),
]
