"""/api/v1/ledger/reports/{kind}?format=csv|xlsx: the trial balance, a statement, the balance sheet and the
income statement as files (``common.exports``), streamed."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from common.api.params import choice_param, currency_param, date_order, date_param, invalid, text_param
from common.api.permissions import IsViewer
from common.api.scope import NotProjectLimited
from common.exports import FORMATS, rows_csv_chunks, rows_xlsx_file
from ledger import reports
from ledger.models import Account, Period

KINDS = ("trial-balance", "statement", "balance-sheet", "income-statement")


def _required(params, name, value):
    if value is None:
        raise invalid(name, "a value", params.get(name, ""))
    return value


def _rows(kind: str, params):
    if kind == "trial-balance":
        return f"trial-balance-{params.get('as_of')}", reports.trial_balance_rows(
            as_of=_required(params, "as_of", date_param(params, "as_of")))
    if kind == "statement":
        code = _required(params, "account", text_param(params, "account", max_length=32))
        currency = _required(params, "currency", currency_param(params))
        first = _required(params, "from_date", date_param(params, "from_date"))
        last = _required(params, "to_date", date_param(params, "to_date"))
        date_order(first, last)
        account = get_object_or_404(Account, code=code)
        return f"statement-{code}-{currency}-{first}-{last}", reports.statement_rows(
            account=account, currency=currency, date_from=first, date_to=last)
    period = get_object_or_404(Period, code=_required(params, "period", text_param(params, "period", max_length=7)))
    builder = reports.balance_sheet_rows if kind == "balance-sheet" else reports.income_statement_rows
    return f"{kind}-{period.code}", builder(period=period)


class ReportView(APIView):
    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="ledger_report", parameters=[
        OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(KINDS)),
        OpenApiParameter("format", str, enum=list(FORMATS), description="csv (default) or xlsx"),
        OpenApiParameter("as_of", str, description="trial-balance: YYYY-MM-DD"),
        OpenApiParameter("account", str, description="statement: an account code"),
        OpenApiParameter("currency", str, description="statement"),
        OpenApiParameter("from_date", str, description="statement"), OpenApiParameter("to_date", str),
        OpenApiParameter("period", str, description="balance-sheet, income-statement: YYYY-MM")],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
                   (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, kind):
        if kind not in KINDS:
            raise invalid("kind", f"one of {', '.join(KINDS)}", kind)
        file_format = choice_param(request.query_params, "format", list(FORMATS), default="csv")
        name, rows = _rows(kind, request.query_params)
        if file_format == "csv":
            response = StreamingHttpResponse(rows_csv_chunks(rows), content_type=FORMATS["csv"])
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        return FileResponse(rows_xlsx_file(rows, sheet=kind), as_attachment=True, filename=f"{name}.xlsx",
                            content_type=FORMATS["xlsx"])
