"""The API's paging: ``page``/``limit`` with the SPEC 8 envelope, or an opaque keyset ``cursor`` for deep pages.

``{"data": [...], "meta": {"page", "limit", "total", "total_pages", "next_cursor"}}``. Offset paging
reads and throws away every row before the page; a cursor continues after the last row seen,
so page 10,000 costs what page 1 costs.
"""

import base64
import json
import math
import uuid

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from common.api.params import GivenEmpty, WholeNumberParam

DEFAULT_LIMIT, MAX_LIMIT = 50, 100
# Deepest page an offset reaches: its OFFSET must stay a bigint, and reading past millions of rows to
# throw them away is what ``cursor`` is for.
MAX_PAGE = 1_000_000
_BAD_CURSOR = "is not a cursor this API issued"


class LimitParams(serializers.Serializer):
    """``limit``, for a list paged by cursor only."""

    limit = WholeNumberParam(maximum=MAX_LIMIT, default=DEFAULT_LIMIT,
                             help_text=f"1–{MAX_LIMIT}, default {DEFAULT_LIMIT}")


class PageParams(LimitParams):
    """``page`` and ``limit``, for the input serializer of every paged list."""

    page = WholeNumberParam(maximum=MAX_PAGE, default=1, help_text=f"1–{MAX_PAGE:,}, default 1 (deeper: `cursor`)")


@extend_schema_field({"type": "string", "format": "cursor", "minLength": 1,
                      "description": "meta.next_cursor of the previous page (keyset paging)"})
class CursorParam(GivenEmpty, serializers.Field):
    """The ``[sort value, id]`` of the last row of a page, as ``encode_cursor`` wrote it."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        return decode_cursor(data)

    def to_representation(self, value):
        return encode_cursor(value)


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str) -> list:
    """The list ``encode_cursor`` wrote: plain values (no nulls, lists or NUL characters), the last one a
    UUID. Anything else is a 400, never a query built from it; the caller checks the list's shape."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeError, RecursionError, AttributeError):
        raise serializers.ValidationError(_BAD_CURSOR) from None
    if not (isinstance(values, list) and values and all(map(_is_scalar, values)) and _is_uuid(values[-1])):
        raise serializers.ValidationError(_BAD_CURSOR)
    return values


def _is_scalar(value) -> bool:
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def envelope(rows: list, *, page: int, limit: int, total: int, next_cursor: str | None) -> Response:
    meta = {"page": page, "limit": limit, "total": total, "total_pages": math.ceil(total / limit) if total else 0,
            "next_cursor": next_cursor}
    return Response({"data": rows, "meta": meta})
