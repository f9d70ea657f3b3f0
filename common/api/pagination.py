"""The API's paging: ``page``/``limit`` with the SPEC 8 envelope, or an opaque keyset ``cursor`` for deep pages.

``{"data": [...], "meta": {"page", "limit", "total", "total_pages", "next_cursor"}}``. Offset paging
reads and throws away every row before the page; a cursor continues after the last row seen,
so page 10,000 costs what page 1 costs.
"""

import base64
import json
import math
import re
import uuid

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

DEFAULT_LIMIT, MAX_LIMIT = 50, 100
# Deepest page an offset reaches: its OFFSET must stay a bigint, and reading past millions of rows to
# throw them away is what ``cursor`` is for.
MAX_PAGE = 1_000_000
_DIGITS = re.compile(r"[0-9]{1,20}")  # ASCII digits only: int() also takes "١٢", " 5" and "1_0"
_BAD_CURSOR = "is not a cursor this API issued"


def positive_int(params, name: str, default: int, *, maximum: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if not _DIGITS.fullmatch(raw):
        raise ValidationError({name: [f"must be a whole number between 1 and {maximum}, got {raw[:30]!r}"]})
    value = int(raw)
    if not 1 <= value <= maximum:
        raise ValidationError({name: [f"must be between 1 and {maximum}, got {value}"]})
    return value


def page_param(params) -> int:
    return positive_int(params, "page", 1, maximum=MAX_PAGE)


def limit_param(params) -> int:
    return positive_int(params, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str) -> list:
    """``[sort value, id]`` as ``encode_cursor`` wrote it; anything else (a null, a list, an id that is no
    UUID) is a 400, never a query built from it."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeError, RecursionError):
        raise ValidationError({"cursor": [_BAD_CURSOR]}) from None
    if not (isinstance(values, list) and len(values) == 2 and _is_scalar(values[0]) and _is_uuid(values[1])):
        raise ValidationError({"cursor": [_BAD_CURSOR]})
    return values


def _is_scalar(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


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
