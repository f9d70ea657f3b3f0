"""GET /api/v1/export/planning/year-performance and /plans-performance?format=csv|xlsx: the answers as files."""

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from common import exports
from common.api.params import invalid
from planning.api.views import plans_performance_answer, year_performance_answer
from planning.exports import plans_performance_rows, year_performance_rows

_FORMAT = OpenApiParameter("format", str, enum=list(exports.FORMATS), required=True)
_FILE = {(200, "text/csv"): OpenApiTypes.BINARY, (200, exports.FORMATS["xlsx"]): OpenApiTypes.BINARY}


def _format(request) -> str:
    fmt = request.query_params.get("format", "")
    if fmt not in exports.FORMATS:
        raise invalid("format", f"one of {', '.join(exports.FORMATS)}", fmt)
    return fmt


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
                   parameters=[_FORMAT, OpenApiParameter("year", int), OpenApiParameter("project", str)])
    def get(self, request):
        fmt = _format(request)
        answer = year_performance_answer(request)
        name = f"year-performance-{answer['year']}" + (f"-{answer['project']}" if answer["project"] else "")
        return file_response(year_performance_rows(answer), fmt=fmt, name=name)


class PlansPerformanceExportView(APIView):
    @extend_schema(operation_id="export_planning_plans_performance", responses=_FILE,
                   parameters=[_FORMAT, OpenApiParameter("date", str), OpenApiParameter("project", str)])
    def get(self, request):
        fmt = _format(request)
        as_of, answer = plans_performance_answer(request)
        return file_response(plans_performance_rows(answer), fmt=fmt, name=f"plans-performance-{as_of}")
