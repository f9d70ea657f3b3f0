"""The API's one request-body parser: JSON, bounded in size and depth.

Every body this API takes is a small flat object (a sync trigger, a run's dates, a review), so a
body of more than ``MAX_BODY_BYTES`` or nested deeper than ``MAX_DEPTH`` is a 400 in the envelope,
before it can cost memory or blow the interpreter's stack (a body nested 5,000 deep raised
``RecursionError`` in the JSON decoder: a 500). Forms and multipart are not accepted (415): a form
has no way to say "not an object", and an empty form read as "all defaults" queued every provider.
A view that takes a file (the plan import, the credit portfolio's preview) names ``BoundedMultiPartParser``
for itself alone.
"""

import codecs
import json

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ParseError
from rest_framework.fields import FileField
from rest_framework.parsers import JSONParser, MultiPartParser

MAX_BODY_BYTES = 64 * 1024  # a review note (the largest field) is at most a few KB
MAX_DEPTH = 8  # the deepest body the API documents is an object holding a value: depth 2


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with a size and a depth bound; every failure is a ParseError (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(body) > MAX_BODY_BYTES:
            raise ParseError(f"request body larger than {MAX_BODY_BYTES} bytes")
        if depth(body) > MAX_DEPTH:
            raise ParseError(f"request body nested deeper than {MAX_DEPTH} levels")
        try:
            return json.loads(codecs.decode(body, encoding), parse_constant=_no_constant)
        except (ValueError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


def depth(body: bytes) -> int:
    """How deep brackets nest in a JSON text, outside strings: counted without parsing, so that no
    recursion starts before the bound is checked."""
    deepest = level = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            level += 1
            deepest = max(deepest, level)
        elif byte in (0x5D, 0x7D):
            level -= 1
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class UploadField(FileField):
    """A file uploaded as a multipart field, not empty (the schema says binary, so that a generator sends a file)."""


class BoundedMultiPartParser(MultiPartParser):
    """Multipart with a size bound, for the few views that take a file (``parser_classes`` on the view).

    The view names its bound in bytes as ``max_upload_bytes``; a larger body (by its Content-Length,
    before anything is read) is a 400 naming the limit. A body without a length is refused too:
    Django would read it to the end."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = parser_context["view"].max_upload_bytes
        raw = parser_context["request"].META.get("CONTENT_LENGTH") or ""
        if not raw.isdigit():
            raise ParseError("a file upload needs a Content-Length")
        if int(raw) > limit:
            raise ParseError(f"request body larger than {limit} bytes")
        return super().parse(stream, media_type, parser_context)
