"""GET /api/v1/export/transactions?format=csv|xlsx with the list's filters: a streamed file."""

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from common.api.files import PREPARED_FILE_ENVELOPE, prepared_response
from common.api.params import parsed
from common.api.scope import allowed_projects
from common.exports import fits_in_a_request
from transactions.api.params import TransactionExportParams
from transactions.api.views import filtered_transactions
from transactions.exports import FORMATS, csv_chunks, filename, xlsx_file, xlsx_request


def export_response(queryset, fmt: str):
    """The file of ``queryset`` in ``fmt``, written while the request waits (CSV streamed, a small XLSX);
    shared by the API and the admin's export actions."""
    name = filename(fmt, timezone.now())
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(queryset), content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(xlsx_file(queryset), as_attachment=True, filename=name, content_type=FORMATS["xlsx"])


# The export's OpenAPI description, also used by the compat namespace's copy of the route.
EXPORT_SCHEMA = {
    "parameters": [TransactionExportParams],
    "responses": {(200, "text/csv"): OpenApiTypes.BINARY, (200, FORMATS["xlsx"]): OpenApiTypes.BINARY,
                  202: PREPARED_FILE_ENVELOPE},
    "description": "The transactions matching the list's filters (source, project, status, from_date, to_date, "
                   "search), oldest first: CSV streamed; XLSX streamed up to 5,000 rows, beyond that written by a "
                   "worker: 202 with the file's url, which answers 202 until the file is ready, then gives it.",
}


class TransactionExportView(APIView):
    @extend_schema(operation_id="export_transactions", **EXPORT_SCHEMA)
    def get(self, request):
        asked = parsed(TransactionExportParams, request.query_params)
        fmt, queryset = asked["format"], filtered_transactions(request, asked)
        if fmt == "xlsx" and not fits_in_a_request(queryset):
            return prepared_response(xlsx_request(queryset, user=request.user, projects=allowed_projects(request)))
        return export_response(queryset, fmt)
