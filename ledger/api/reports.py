"""/api/v1/ledger/reports/{kind}?format=csv|xlsx|pdf: the trial balance, a statement, the balance sheet and the
income statement as files. One path per kind, each with its own parameters. CSV and XLSX are written while the
request waits (``common.exports``, streamed); the PDF is written by a worker (``ledger.exports``): 202 with the
file's id, state and URL (``/api/v1/files/<id>``). Both read the same rows (``ledger.exports.report_rows``)."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from common.api.files import PREPARED_FILE_ENVELOPE, prepared_response
from common.api.params import invalid, parsed
from common.api.permissions import IsViewer
from common.api.schema import answers
from common.api.scope import NotProjectLimited
from common.exports import FORMATS, rows_csv_chunks, rows_xlsx_file
from ledger import selectors
from ledger.api.params import PeriodReportParams, StatementReportParams, TrialBalanceReportParams
from ledger.exports import STATEMENT_PDF_MAX_LINES, pdf_request, report_rows
from ledger.models import Account, Period

_FILE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
         (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
         202: PREPARED_FILE_ENVELOPE}


class ReportView(APIView):
    """One report as a file: ``values(asked)`` gives its checked parameters as plain values (what a worker
    takes for the PDF; an unknown account or period is a 404 here, before anything is queued)."""

    permission_classes = [IsViewer, NotProjectLimited]
    kind = ""
    params = None  # the input serializer of the kind's parameters

    def values(self, asked: dict) -> dict:
        raise NotImplementedError

    def get(self, request):
        asked = parsed(self.params, request.query_params)
        values = self.values(asked)
        if asked["format"] == "pdf":
            self.check_fits_a_pdf(values)
            return prepared_response(pdf_request(kind=self.kind, params=values, user=request.user))
        name, rows = "-".join([self.kind, *values.values()]), report_rows(self.kind, values)
        if asked["format"] == "csv":
            response = StreamingHttpResponse(rows_csv_chunks(rows), content_type=FORMATS["csv"])
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        return FileResponse(rows_xlsx_file(rows, sheet=self.kind), as_attachment=True, filename=f"{name}.xlsx",
                            content_type=FORMATS["xlsx"])

    def check_fits_a_pdf(self, values: dict) -> None:
        """Raise a 400 when the report is too long to be read as a PDF (only a statement can be)."""


class TrialBalanceReportView(ReportView):
    kind, params = "trial-balance", TrialBalanceReportParams

    @extend_schema(operation_id="ledger_report_trial_balance", parameters=[TrialBalanceReportParams], responses=_FILE)
    def get(self, request):
        return super().get(request)

    def values(self, asked):
        return {"as_of": asked["as_of"].isoformat()}


class StatementReportView(ReportView):
    kind, params = "statement", StatementReportParams

    @extend_schema(operation_id="ledger_report_statement", parameters=[StatementReportParams],
                   responses=answers(_FILE, not_found="No account with that code."))
    def get(self, request):
        return super().get(request)

    def values(self, asked):
        account = get_object_or_404(Account, code=asked["account"])
        return {"account": account.code, "currency": asked["currency"], "from_date": asked["from_date"].isoformat(),
                "to_date": asked["to_date"].isoformat()}

    def check_fits_a_pdf(self, values):
        from datetime import date

        lines = selectors.statement_count(
            account=Account.objects.get(code=values["account"]), currency=values["currency"],
            date_from=date.fromisoformat(values["from_date"]), date_to=date.fromisoformat(values["to_date"]))
        if lines > STATEMENT_PDF_MAX_LINES:
            raise invalid("to_date", f"a range of at most {STATEMENT_PDF_MAX_LINES:,} lines for a PDF (this one has "
                          f"{lines:,}; narrow the dates or ask for csv)", values["to_date"])


class PeriodReportView(ReportView):
    """The balance sheet or the income statement of a period."""

    params = PeriodReportParams

    def values(self, asked):
        return {"period": get_object_or_404(Period, code=asked["period"]).code}


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
