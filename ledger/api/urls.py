"""Routes of /api/v1/ledger/."""

from django.urls import path, register_converter

from ledger.api import reconciliation, reports, views


class IdConverter:
    """A row id: at most 18 digits, so it fits a bigint; a longer one is a 404 before any query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("accounts", views.AccountListView.as_view(), name="ledger-accounts"),
    path("vouchers", views.VoucherListView.as_view(), name="ledger-vouchers"),
    path("vouchers/<id:pk>", views.VoucherDetailView.as_view(), name="ledger-voucher"),
    *[path(f"vouchers/<id:pk>/{action}", views.VoucherActionView.as_view(action_name=action),
           name=f"ledger-voucher-{action}") for action in ("review", "post", "cancel", "reverse")],
    path("bulk", views.BulkView.as_view(), name="ledger-bulk"),
    path("periods", views.PeriodListView.as_view(), name="ledger-periods"),
    *[path(f"periods/<id:pk>/{action}", views.PeriodActionView.as_view(action_name=action),
           name=f"ledger-period-{action}") for action in ("close", "lock", "reopen")],
    path("rules", views.RuleListView.as_view(), name="ledger-rules"),
    path("balances", views.BalanceListView.as_view(), name="ledger-balances"),
    path("trial-balance", views.TrialBalanceView.as_view(), name="ledger-trial-balance"),
    path("statement", views.StatementView.as_view(), name="ledger-statement"),
    *[path(f"reports/{view.kind}", view.as_view(), name=f"ledger-report-{view.kind}") for view in reports.REPORT_VIEWS],
    path("reconciliations", reconciliation.GLRunListView.as_view(), name="ledger-gl-runs"),
    path("reconciliations/<id:pk>", reconciliation.GLRunDetailView.as_view(), name="ledger-gl-run"),
    path("reconciliation-results/<id:pk>", reconciliation.GLResultReviewView.as_view(), name="ledger-gl-result"),
]
