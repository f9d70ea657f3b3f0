"""GET /api/v1/export/planning/year-performance and /plans-performance?format=csv|xlsx: the answers as files."""

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from common import exports
from common.api.params import parsed
from planning.api.params import PlansPerformanceExportParams, YearExportParams
from planning.api.views import plans_performance_answer, year_performance_answer
from planning.exports import plans_performance_rows, year_performance_rows

_FILE = {(200, "text/csv"): OpenApiTypes.BINARY, (200, exports.FORMATS["xlsx"]): OpenApiTypes.BINARY}


def file_response(rows, *, fmt: str, name: str):
    """``rows`` (header first) as a CSV stream or an XLSX file named ``name``.``fmt``."""
    filename = f"{name}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.rows_csv_chunks(rows), content_type=exports.FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(exports.rows_xlsx_file(rows, sheet=name[:31]), as_attachment=True, filename=filename,
                        content_type=exports.FORMATS["xlsx"])


class YearPerformanceExportView(APIView):
    @extend_schema(operation_id="export_planning_year_performance", responses=_FILE,
                   parameters=[YearExportParams])
    def get(self, request):
        asked = parsed(YearExportParams, request.query_params)
        answer, fmt = year_performance_answer(request, asked), asked["format"]
        name = f"year-performance-{answer['year']}" + (f"-{answer['project']}" if answer["project"] else "")
        return file_response(year_performance_rows(answer), fmt=fmt, name=name)


class PlansPerformanceExportView(APIView):
    @extend_schema(operation_id="export_planning_plans_performance", responses=_FILE,
                   parameters=[PlansPerformanceExportParams])
    def get(self, request):
        asked = parsed(PlansPerformanceExportParams, request.query_params)
        (as_of, answer), fmt = plans_performance_answer(request, asked), asked["format"]
        return file_response(plans_performance_rows(answer), fmt=fmt, name=f"plans-performance-{as_of}")
