"""OpenAPI helpers: the envelopes every answer comes in, described once."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from common.api.middleware import MAX_REQUEST_URI_BYTES
from common.api.params import TIMEZONE_SCHEMA, time_zone_schema
from common.api.parsers import MAX_BODY_BYTES, MAX_DEPTH


class PageMetaSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    next_cursor = serializers.CharField(allow_null=True, help_text="pass as `cursor` to continue after this page")


def answers(ok: dict, **errors: str) -> dict:
    """The ``responses`` of an operation: its successful answers (status → schema) and the errors particular to
    it, e.g. ``answers({200: …}, not_found="no account with that code")``; the errors every operation may answer
    are added to the schema by ``add_error_responses``."""
    statuses = {"invalid": 400, "not_found": 404, "conflict": 409}
    return {**ok, **{statuses[name]: OpenApiResponse(description=text) for name, text in errors.items()}}


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
                                                "NOT_FOUND", "METHOD_NOT_ALLOWED", "CONFLICT", "URI_TOO_LONG",
                                                "RATE_LIMIT_EXCEEDED",
                                                "UPSTREAM_ERROR", "SERVICE_UNAVAILABLE", "INTERNAL_ERROR"]},
            "message": {"type": "string"},
            "details": {"description": "for VALIDATION_ERROR: {field: [what was expected, what came]}"},
        },
    }},
}
_ERRORS = {"400": "A parameter is invalid; the message names it, what was expected and what came. Also a rule "
                  "between parameters (from_date on or before to_date, the longest period) or, with `currency`, "
                  "a day and currency without a stored FX rate.",
           "401": "No or bad credentials.", "403": "The role or the token's project limits do not allow it.",
           "414": f"The path and query string are longer than {MAX_REQUEST_URI_BYTES:,} bytes.",
           "429": "Too many requests; Retry-After says when to come back."}
_BODY_ERRORS = {"400": f"Or the body is invalid: not JSON, not an object, larger than {MAX_BODY_BYTES:,} bytes or "
                       f"nested deeper than {MAX_DEPTH} levels, or a field is wrong (the message names it).",
                "415": "The body is not application/json (forms and multipart are not accepted)."}


def _body_required_when_its_schema_requires_fields(operation: dict) -> None:
    """A body whose schema names required fields (or shapes to choose from) cannot be left out."""
    body = operation.get("requestBody")
    schema = (body or {}).get("content", {}).get("application/json", {}).get("schema", {})
    if body is not None and ("oneOf" in schema or schema.get("required")):
        body["required"] = True


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing: every operation documents the error envelope it may answer (and the
    components the parameters refer to)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"], schemas[TIMEZONE_SCHEMA] = _ERROR_SCHEMA, time_zone_schema()
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            errors = dict(_ERRORS)
            _body_required_when_its_schema_requires_fields(operation)
            if "requestBody" in operation:
                errors["400"] = f"{errors['400']} {_BODY_ERRORS['400']}"
                errors["415"] = _BODY_ERRORS["415"]
            if "{" in path:
                errors["404"] = "No such object (or not one the caller may see)."
            if operation.get("security") == [{}] or not operation.get("security"):
                errors.pop("401"), errors.pop("403")  # public endpoints
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": reference})
            for status, response in responses.items():  # errors a view names itself, without a body
                if status >= "400" and "content" not in response:
                    response["content"] = reference
    return result
