"""OpenAPI helpers: the envelopes every answer comes in, described once."""

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from common.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_PAGE

# ``page`` and ``limit`` as the server reads them (``common.api.pagination``).
PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                     description=f"1–{MAX_PAGE:,}, default 1 (deeper: `cursor`)"),
    OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                     description=f"1–{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
]


class PageMetaSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    next_cursor = serializers.CharField(allow_null=True, help_text="pass as `cursor` to continue after this page")


def data_envelope(name: str, serializer) -> serializers.Serializer:
    """``{"data": <serializer>}``."""
    return inline_serializer(name, {"data": serializer})


def page_envelope(name: str, serializer) -> serializers.Serializer:
    """``{"data": [<serializer>], "meta": {page, limit, total, total_pages, next_cursor}}``."""
    return inline_serializer(name, {"data": serializer, "meta": PageMetaSerializer()})


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "details"],
        "properties": {
            "code": {"type": "string", "enum": ["VALIDATION_ERROR", "NOT_AUTHENTICATED", "PERMISSION_DENIED",
                                                "NOT_FOUND", "METHOD_NOT_ALLOWED", "CONFLICT", "RATE_LIMIT_EXCEEDED",
                                                "UPSTREAM_ERROR", "SERVICE_UNAVAILABLE", "INTERNAL_ERROR"]},
            "message": {"type": "string"},
            "details": {"description": "for VALIDATION_ERROR: {field: [what was expected, what came]}"},
        },
    }},
}
_ERRORS = {"400": "A parameter is invalid; the message names it, what was expected and what came.",
           "401": "No or bad credentials.", "403": "The role or the token's project limits do not allow it.",
           "429": "Too many requests; Retry-After says when to come back."}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing: every operation documents the error envelope it may answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            errors = dict(_ERRORS)
            if "{" in path:
                errors["404"] = "No such object (or not one the caller may see)."
            if operation.get("security") == [{}] or not operation.get("security"):
                errors.pop("401"), errors.pop("403")  # public endpoints
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
