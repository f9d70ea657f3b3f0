"""GET /api/v1/export/reconciliation?date=&format=csv|xlsx|pdf, and the PDF report once it is ready.

CSV and XLSX stream the results of the date's current run. A PDF is rendered by a worker: the first
request answers 202 with the report's id and state, and the report's URL gives the file once ready.
"""

from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import parsed
from common.api.schema import data_envelope
from common.api.scope import NotProjectLimited, limit_queryset
from reconciliation import selectors
from reconciliation.api.params import ReconciliationExportParams
from reconciliation.choices import ReportStatus
from reconciliation.exports import FORMATS, csv_chunks, filename, xlsx_file
from reconciliation.models import ReconciliationReport
from reconciliation.reports import report_request


class ReportSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="status")
    run_id = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReconciliationReport
        fields = ("id", "state", "run_id", "day", "created_at", "finished_at", "error", "url")

    def get_url(self, report) -> str:
        return f"/api/v1/export/reconciliation/reports/{report.pk}"


def _pending(report, status_code: int = 202) -> Response:
    return Response({"data": ReportSerializer(report).data}, status=status_code)


def _pdf(report) -> FileResponse:
    return FileResponse(report.file.open("rb"), as_attachment=True, content_type=FORMATS["pdf"],
                        filename=filename(report.day, "pdf"))


class ReconciliationExportView(APIView):
    @extend_schema(
        operation_id="export_reconciliation",
        parameters=[ReconciliationExportParams],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, FORMATS["xlsx"]): OpenApiTypes.BINARY,
                   (200, "application/pdf"): OpenApiTypes.BINARY,
                   202: data_envelope("ReconciliationReportPending", ReportSerializer()),
                   404: OpenApiResponse(description="No reconciliation run covers the date: run one first.")},
        description="The results of the date's current run, streamed (csv, xlsx); or its PDF report (pdf), 202 "
                    "with the report's id until a worker has rendered it.",
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
        return FileResponse(xlsx_file(results), as_attachment=True, filename=filename(day, "xlsx"),
                            content_type=FORMATS["xlsx"])

    def _pdf(self, request, run_id, day):
        if not NotProjectLimited().has_permission(request, self):
            raise PermissionDenied("this token is limited to projects; the PDF report covers all of them (csv and xlsx "
                                   "give the token's projects)")
        from reconciliation.models import ReconciliationRun
        from reconciliation.tasks import render_report

        report, render = report_request(run=ReconciliationRun.objects.get(pk=run_id), day=day, user=request.user)
        if report.status == ReportStatus.READY:
            return _pdf(report)
        if render:
            transaction.on_commit(lambda: render_report.delay(report.pk))
        return _pending(report)


class ReportDownloadView(APIView):
    def get_permissions(self):
        return [*super().get_permissions(), NotProjectLimited()]

    @extend_schema(operation_id="export_reconciliation_report",
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                              202: data_envelope("ReconciliationReportState", ReportSerializer())})
    def get(self, request, pk):
        report = get_object_or_404(ReconciliationReport, pk=pk)
        if report.status == ReportStatus.READY:
            return _pdf(report)
        return _pending(report)
