"""GET /api/v1/export/transactions?format=csv|xlsx with the list's filters: a streamed file."""

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from common.api.params import invalid
from transactions.api.views import filtered_transactions
from transactions.exports import FORMATS, csv_chunks, filename, xlsx_file


def export_response(queryset, fmt: str):
    """The file of ``queryset`` in ``fmt``; shared by the API and the admin's export actions."""
    name = filename(fmt, timezone.now())
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(queryset), content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(xlsx_file(queryset), as_attachment=True, filename=name, content_type=FORMATS["xlsx"])


# The export's OpenAPI description, also used by the compat namespace's copy of the route.
EXPORT_SCHEMA = {
    "parameters": [OpenApiParameter("format", str, enum=list(FORMATS), required=True)],
    "responses": {(200, "text/csv"): OpenApiTypes.BINARY, (200, FORMATS["xlsx"]): OpenApiTypes.BINARY},
    "description": "The transactions matching the list's filters (source, project, status, from_date, to_date, "
                   "search), oldest first, streamed.",
}


class TransactionExportView(APIView):
    @extend_schema(operation_id="export_transactions", **EXPORT_SCHEMA)
    def get(self, request):
        fmt = request.query_params.get("format", "")
        if fmt not in FORMATS:
            raise invalid("format", f"one of {', '.join(FORMATS)}", fmt)
        return export_response(filtered_transactions(request), fmt)
