"""GET /api/v1/export/reconciliation?date=&format=csv|xlsx|pdf.

CSV streams the results of the date's current run, and so does an XLSX of up to ``XLSX_STREAM_ROWS`` rows.
A larger XLSX and the PDF report are written by a worker (``common.prepared_files``): the request answers
202 with the file's id, state and URL (``/api/v1/files/<id>``), which gives the file once ready.
"""

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.views import APIView

from common.api.files import PREPARED_FILE_ENVELOPE, file_response, prepared_response
from common.api.params import parsed
from common.api.scope import NotProjectLimited, allowed_projects, limit_queryset
from common.exports import fits_in_a_request
from common.models import PreparedFile
from reconciliation import selectors
from reconciliation.api.params import ReconciliationExportParams
from reconciliation.exports import FORMATS, csv_chunks, filename, xlsx_file, xlsx_request
from reconciliation.models import ReconciliationRun
from reconciliation.reports import report_request


class ReconciliationExportView(APIView):
    @extend_schema(
        operation_id="export_reconciliation",
        parameters=[ReconciliationExportParams],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, FORMATS["xlsx"]): OpenApiTypes.BINARY,
                   (200, "application/pdf"): OpenApiTypes.BINARY,
                   202: PREPARED_FILE_ENVELOPE,
                   404: OpenApiResponse(description="No reconciliation run covers the date: run one first.")},
        description="The results of the date's current run: CSV streamed, XLSX streamed up to 5,000 rows; a larger "
                    "XLSX and the PDF report are written by a worker: 202 with the file's url until it is ready.",
    )
    def get(self, request):
        asked = parsed(ReconciliationExportParams, request.query_params)
        fmt, day = asked["format"], asked["date"]
        run_id = selectors.current_runs(date_from=day, date_to=day).get(day)
        if run_id is None:
            raise NotFound(f"no reconciliation run covers {day}: run one first (POST /api/v1/reconciliation/run)")
        if fmt == "pdf":
            return self._pdf(request, run_id, day)
        results = limit_queryset(selectors.current_results(date_from=day, date_to=day), request)
        if result_type := asked.get("type"):
            results = results.filter(result_type=result_type)
        if fmt == "csv":
            response = StreamingHttpResponse(csv_chunks(results), content_type=FORMATS["csv"])
            response["Content-Disposition"] = f'attachment; filename="{filename(day, "csv")}"'
            return response
        if not fits_in_a_request(results):
            return prepared_response(xlsx_request(results, day=day, user=request.user,
                                                  projects=allowed_projects(request)))
        return FileResponse(xlsx_file(results), as_attachment=True, filename=filename(day, "xlsx"),
                            content_type=FORMATS["xlsx"])

    def _pdf(self, request, run_id, day):
        if not NotProjectLimited().has_permission(request, self):
            raise PermissionDenied("this token is limited to projects; the PDF report covers all of them (csv and xlsx "
                                   "give the token's projects)")
        report = report_request(run=ReconciliationRun.objects.get(pk=run_id), day=day, user=request.user)
        if report.status == PreparedFile.Status.READY:
            return file_response(report)
        return prepared_response(report)
