"""GET /api/v1/files/<id>: a file a worker prepares (``common.prepared_files``); 202 with its state until it
is ready, then the file. Also the 202 answer every view that hands work to such a file gives."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.schema import data_envelope
from common.api.scope import allowed_projects
from common.exports import FORMATS
from common.models import PreparedFile

CONTENT_TYPES = {**FORMATS, "pdf": "application/pdf"}


class PreparedFileSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="status")
    url = serializers.SerializerMethodField()

    class Meta:
        model = PreparedFile
        fields = ("id", "state", "filename", "rows", "created_at", "finished_at", "error", "url")

    def get_url(self, prepared) -> str:
        return f"/api/v1/files/{prepared.pk}"


# The 202 answer's schema, one component for every view that gives it.
PREPARED_FILE_ENVELOPE = data_envelope("PreparedFileEnvelope", PreparedFileSerializer())


def prepared_response(prepared: PreparedFile) -> Response:
    """202 with the file's id, state and URL."""
    return Response({"data": PreparedFileSerializer(prepared).data}, status=202)


def file_response(prepared: PreparedFile) -> FileResponse:
    extension = prepared.filename.rpartition(".")[2]
    return FileResponse(prepared.file.open("rb"), as_attachment=True, filename=prepared.filename,
                        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))


def visible_file(request, pk: int) -> PreparedFile:
    """The file, if this caller may have it: its asker's (or a shared one), made within the same project limits."""
    prepared = get_object_or_404(PreparedFile, pk=pk)
    if not prepared.shared and prepared.requested_by_id != request.user.pk:
        raise NotFound(f"no file {pk} of yours")
    allowed = allowed_projects(request)
    if prepared.projects is None and allowed is not None:
        raise PermissionDenied("this token is limited to projects; this file covers all of them")
    if prepared.projects is not None and prepared.projects != sorted(allowed or ()):
        raise NotFound(f"no file {pk} made for this token's projects")
    return prepared


class PreparedFileView(APIView):
    @extend_schema(operation_id="prepared_file",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              202: PREPARED_FILE_ENVELOPE},
                   description="A file a worker prepares (a PDF report, a large XLSX export): 202 with its state "
                               "(queued, failed with the error) until it is ready, then the file.")
    def get(self, request, pk):
        prepared = visible_file(request, pk)
        if prepared.status == PreparedFile.Status.READY:
            return file_response(prepared)
        return prepared_response(prepared)
