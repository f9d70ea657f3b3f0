"""/api/v1/ledger/reports/{kind}?format=csv|xlsx|pdf: the trial balance, a statement, the balance sheet and the
income statement as files. CSV and XLSX are written while the request waits (``common.exports``); the PDF is
written by a worker (``ledger.exports``): 202 with the file's id, state and URL (``/api/v1/files/<id>``)."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from common.api.files import PREPARED_FILE_ENVELOPE, prepared_response
from common.api.params import choice_param, currency_param, date_order, date_param, invalid, text_param
from common.api.permissions import IsViewer
from common.api.scope import NotProjectLimited
from common.exports import FORMATS, rows_csv_chunks, rows_xlsx_file
from ledger import selectors
from ledger.exports import STATEMENT_PDF_MAX_LINES, TITLES, pdf_request, report_rows
from ledger.models import Account, Period

KINDS = tuple(TITLES)
REPORT_FORMATS = (*FORMATS, "pdf")


def _required(params, name, value):
    if value is None:
        raise invalid(name, "a value", params.get(name, ""))
    return value


def _params(kind: str, params) -> dict:
    """The report's parameters, checked (a 400 names the bad one, a 404 the unknown account or period), as plain
    values a worker can take."""
    if kind == "trial-balance":
        return {"as_of": _required(params, "as_of", date_param(params, "as_of")).isoformat()}
    if kind == "statement":
        code = _required(params, "account", text_param(params, "account", max_length=32))
        currency = _required(params, "currency", currency_param(params))
        first = _required(params, "from_date", date_param(params, "from_date"))
        last = _required(params, "to_date", date_param(params, "to_date"))
        date_order(first, last)
        get_object_or_404(Account, code=code)
        return {"account": code, "currency": currency, "from_date": first.isoformat(), "to_date": last.isoformat()}
    code = _required(params, "period", text_param(params, "period", max_length=7))
    get_object_or_404(Period, code=code)
    return {"period": code}


def _statement_fits_a_pdf(values: dict) -> None:
    from datetime import date

    lines = selectors.statement_count(account=Account.objects.get(code=values["account"]),
                                      currency=values["currency"], date_from=date.fromisoformat(values["from_date"]),
                                      date_to=date.fromisoformat(values["to_date"]))
    if lines > STATEMENT_PDF_MAX_LINES:
        raise invalid("to_date", f"a range of at most {STATEMENT_PDF_MAX_LINES:,} lines for a PDF (this one has "
                      f"{lines:,}; narrow the dates or ask for csv)", values["to_date"])


class ReportView(APIView):
    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="ledger_report", parameters=[
        OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS)),
        OpenApiParameter("format", str, enum=list(REPORT_FORMATS),
                         description="csv (default) or xlsx, written at once; pdf, written by a worker (202)"),
        OpenApiParameter("as_of", str, description="trial-balance: YYYY-MM-DD"),
        OpenApiParameter("account", str, description="statement: an account code"),
        OpenApiParameter("currency", str, description="statement"),
        OpenApiParameter("from_date", str, description="statement"), OpenApiParameter("to_date", str),
        OpenApiParameter("period", str, description="balance-sheet, income-statement: YYYY-MM")],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
                   (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
                   202: PREPARED_FILE_ENVELOPE})
    def get(self, request, kind):
        if kind not in KINDS:
            raise invalid("kind", f"one of {', '.join(KINDS)}", kind)
        file_format = choice_param(request.query_params, "format", list(REPORT_FORMATS), default="csv")
        values = _params(kind, request.query_params)
        if file_format == "pdf":
            if kind == "statement":
                _statement_fits_a_pdf(values)
            return prepared_response(pdf_request(kind=kind, params=values, user=request.user))
        name, rows = "-".join([kind, *values.values()]), report_rows(kind, values)
        if file_format == "csv":
            response = StreamingHttpResponse(rows_csv_chunks(rows), content_type=FORMATS["csv"])
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        return FileResponse(rows_xlsx_file(rows, sheet=kind), as_attachment=True, filename=f"{name}.xlsx",
                            content_type=FORMATS["xlsx"])
