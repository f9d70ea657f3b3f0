"""/api/v1/credit-portfolio/: the analytics (cached per access level), their exports, imports and previews.

Finance admins and managers of the finance department read; finance admins also run imports and
preview files. Everyone else gets 403 (``credit_portfolio.access``).
"""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.files import PREPARED_FILE_ENVELOPE, file_response, prepared_response
from common.api.pagination import PageParams
from common.api.params import invalid, parsed
from common.api.parsers import BoundedMultiPartParser
from common.api.schema import data_envelope
from common.cache import cached
from common.models import PreparedFile
from credit_portfolio import selectors
from credit_portfolio.access import CanRunPortfolio, CanSeePortfolio, request_access
from credit_portfolio.api.params import ContractsParams, ExportParams, PortfolioParams, portfolio_query
from credit_portfolio.choices import CREDIT_PORTFOLIO, CREDIT_PORTFOLIO_TTL, SOURCE_NAME
from credit_portfolio.exports import XLSX, report_request, xlsx_bytes
from credit_portfolio.models import ImportLog
from credit_portfolio.preview import file_preview


def cached_answer(request, name: str, query: selectors.PortfolioQuery):
    """The answer from the portfolio's cache namespace, keyed by the caller's access level as well."""
    key = f"{request_access(request)}|{name}|{query.cache_key()}"
    return cached(CREDIT_PORTFOLIO, key, ttl=CREDIT_PORTFOLIO_TTL, compute=lambda: selectors.ANSWERS[name](query))


class AnswerView(APIView):
    """GET /api/v1/credit-portfolio/<answer>: one analytics answer (``contracts`` paginated)."""

    permission_classes = [CanSeePortfolio]
    answer = ""
    params = PortfolioParams

    def get(self, request):
        asked = parsed(self.params, request.query_params)
        data = cached_answer(request, self.answer, portfolio_query(asked))
        if self.answer != "contracts":
            return Response({"data": data})
        page, limit = asked["page"], asked["limit"]
        total = len(data)
        return Response({"data": data[(page - 1) * limit:page * limit],
                         "meta": {"page": page, "limit": limit, "total": total,
                                  "total_pages": max(1, -(-total // limit))}})


_ANSWER = data_envelope("CreditPortfolioAnswer", serializers.JSONField())  # one component for every answer


def answer_view(name: str):
    """The view of one answer, its parameters (``ContractsParams`` for the paged contracts) in its schema."""
    params = ContractsParams if name == "contracts" else PortfolioParams

    @extend_schema(operation_id=f"credit_portfolio_{name.replace('-', '_')}", parameters=[params],
                   responses=_ANSWER)
    def get(self, request):  # one function per view: extend_schema marks the function it decorates
        return AnswerView.get(self, request)

    view = type(f"{name.title().replace('-', '')}View", (AnswerView,), {"answer": name, "params": params, "get": get})
    return view.as_view()


class ExportView(APIView):
    """GET /api/v1/credit-portfolio/export?answer=&format=xlsx|pdf: XLSX at once; a PDF is rendered by a
    worker (202 with the file's id and URL, ``/api/v1/files/<id>``, until it is ready)."""

    permission_classes = [CanSeePortfolio]

    @extend_schema(operation_id="credit_portfolio_export", parameters=[ExportParams],
                   responses={(200, XLSX): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY,
                   202: PREPARED_FILE_ENVELOPE})
    def get(self, request):
        asked = parsed(ExportParams, request.query_params)
        answer, fmt, query = asked["answer"], asked["format"], portfolio_query(asked)
        if fmt == "xlsx":
            response = HttpResponse(xlsx_bytes(answer, cached_answer(request, answer, query)), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="credit-portfolio-{answer}.xlsx"'
            return response
        report = report_request(answer=answer, query=query, user=request.user)
        return file_response(report) if report.status == PreparedFile.Status.READY else prepared_response(report)


class ImportsView(APIView):
    """GET: the import history (one entry per file read); POST: run an import now (finance admins)."""

    def get_permissions(self):
        return [CanRunPortfolio()] if self.request.method == "POST" else [CanSeePortfolio()]

    @extend_schema(operation_id="credit_portfolio_imports", parameters=[PageParams], responses=data_envelope(
        "CreditPortfolioImports", serializers.ListField()))
    def get(self, request):
        asked = parsed(PageParams, request.query_params)
        page, limit = asked["page"], asked["limit"]
        logs = ImportLog.objects.all()
        total = logs.count()
        rows = logs[(page - 1) * limit:page * limit].values(
            "id", "run_id", "file_name", "kind", "organization", "size", "modified_at", "content_hash", "status",
            "header_row", "rows_read", "inserted", "updated", "unchanged", "rejected", "deleted", "reasons", "error",
            "started_at", "finished_at")
        return Response({"data": list(rows), "meta": {"page": page, "limit": limit, "total": total,
                                                       "total_pages": max(1, -(-total // limit))}})

    @extend_schema(operation_id="credit_portfolio_import_run", request=None,
                   responses={202: data_envelope("CreditPortfolioImportQueued", serializers.DictField())})
    def post(self, request):
        from integrations.choices import RunTrigger
        from integrations.tasks import sync_provider

        task = sync_provider.delay(SOURCE_NAME, trigger=RunTrigger.API)
        return Response({"data": {"source": SOURCE_NAME, "task_id": task.id,
                                  "history": "/api/v1/credit-portfolio/imports"}}, status=status.HTTP_202_ACCEPTED)


class PreviewView(APIView):
    """POST a workbook (multipart, field ``file``): what importing it would do. Nothing is written."""

    permission_classes = [CanRunPortfolio]
    parser_classes = [BoundedMultiPartParser]

    @property
    def max_upload_bytes(self) -> int:
        return settings.CREDIT_PORTFOLIO_PREVIEW_MAX_BYTES

    @extend_schema(operation_id="credit_portfolio_import_preview",
                   request={"multipart/form-data": {"type": "object", "required": ["file"], "properties": {
                       "file": {"type": "string", "format": "binary"}}}},
                   responses=data_envelope("CreditPortfolioPreview", serializers.DictField()))
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise invalid("file", "a workbook uploaded as the multipart field 'file'", None)
        return Response({"data": file_preview(name=upload.name, content=upload.read())})
