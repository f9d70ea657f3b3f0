"""The API's paging: ``page``/``limit`` with the SPEC 8 envelope, or an opaque keyset ``cursor`` for deep pages.

``{"data": [...], "meta": {"page", "limit", "total", "total_pages", "next_cursor"}}``. Offset paging
reads and throws away every row before the page; a cursor continues after the last row seen,
so page 10,000 costs what page 1 costs.
"""

import base64
import json
import math

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

DEFAULT_LIMIT, MAX_LIMIT = 50, 100


def positive_int(params, name: str, default: int, *, maximum: int | None = None) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"must be a whole number, got {raw!r}"]}) from None
    if value < 1 or (maximum is not None and value > maximum):
        bound = f"between 1 and {maximum}" if maximum else "at least 1"
        raise ValidationError({name: [f"must be {bound}, got {value}"]})
    return value


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"cursor": ["is not a cursor this API issued"]}) from None
    if not isinstance(values, list) or len(values) != 2:
        raise ValidationError({"cursor": ["is not a cursor this API issued"]})
    return values


def envelope(rows: list, *, page: int, limit: int, total: int, next_cursor: str | None) -> Response:
    meta = {"page": page, "limit": limit, "total": total, "total_pages": math.ceil(total / limit) if total else 0,
            "next_cursor": next_cursor}
    return Response({"data": rows, "meta": meta})
