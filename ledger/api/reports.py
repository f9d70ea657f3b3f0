"""/api/v1/ledger/reports/{kind}?format=csv|xlsx: the trial balance, a statement, the balance sheet and the
income statement as files (``common.exports``), streamed. One path per kind, each with its own parameters."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from common.api.params import parsed
from common.api.permissions import IsViewer
from common.api.schema import answers
from common.api.scope import NotProjectLimited
from common.exports import FORMATS, rows_csv_chunks, rows_xlsx_file
from ledger import reports
from ledger.api.params import PeriodReportParams, StatementReportParams, TrialBalanceReportParams
from ledger.models import Account, Period

_FILE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
         (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY)}


class ReportView(APIView):
    """One report as a file: ``rows(asked)`` gives its file name and rows (header first)."""

    permission_classes = [IsViewer, NotProjectLimited]
    kind = ""
    params = None  # the input serializer of the kind's parameters

    def rows(self, asked: dict):
        raise NotImplementedError

    def get(self, request):
        asked = parsed(self.params, request.query_params)
        name, rows = self.rows(asked)
        if asked["format"] == "csv":
            response = StreamingHttpResponse(rows_csv_chunks(rows), content_type=FORMATS["csv"])
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        return FileResponse(rows_xlsx_file(rows, sheet=self.kind), as_attachment=True, filename=f"{name}.xlsx",
                            content_type=FORMATS["xlsx"])


class TrialBalanceReportView(ReportView):
    kind, params = "trial-balance", TrialBalanceReportParams

    @extend_schema(operation_id="ledger_report_trial_balance", parameters=[TrialBalanceReportParams], responses=_FILE)
    def get(self, request):
        return super().get(request)

    def rows(self, asked):
        return f"trial-balance-{asked['as_of']}", reports.trial_balance_rows(as_of=asked["as_of"])


class StatementReportView(ReportView):
    kind, params = "statement", StatementReportParams

    @extend_schema(operation_id="ledger_report_statement", parameters=[StatementReportParams],
                   responses=answers(_FILE, not_found="No account with that code."))
    def get(self, request):
        return super().get(request)

    def rows(self, asked):
        account = get_object_or_404(Account, code=asked["account"])
        first, last, currency = asked["from_date"], asked["to_date"], asked["currency"]
        return f"statement-{account.code}-{currency}-{first}-{last}", reports.statement_rows(
            account=account, currency=currency, date_from=first, date_to=last)


class PeriodReportView(ReportView):
    """The balance sheet or the income statement of a period."""

    params = PeriodReportParams

    def rows(self, asked):
        period = get_object_or_404(Period, code=asked["period"])
        builder = reports.balance_sheet_rows if self.kind == "balance-sheet" else reports.income_statement_rows
        return f"{self.kind}-{period.code}", builder(period=period)


class BalanceSheetReportView(PeriodReportView):
    kind = "balance-sheet"

    @extend_schema(operation_id="ledger_report_balance_sheet", parameters=[PeriodReportParams],
                   responses=answers(_FILE, not_found="No period with that code."))
    def get(self, request):
        return super().get(request)


class IncomeStatementReportView(PeriodReportView):
    kind = "income-statement"

    @extend_schema(operation_id="ledger_report_income_statement", parameters=[PeriodReportParams],
                   responses=answers(_FILE, not_found="No period with that code."))
    def get(self, request):
        return super().get(request)


REPORT_VIEWS = (TrialBalanceReportView, StatementReportView, BalanceSheetReportView, IncomeStatementReportView)
