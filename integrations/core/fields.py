"""Reading fields of provider records, shared by every normalizer: text, exact numbers, times.

Each raises NormalizationError naming the field and the value, so a quarantined record says
exactly what was wrong with it.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from integrations.core.registry import NormalizationError

# Values providers use for "nothing here"; the string "None" comes from careless serializers.
EMPTY = (None, "", "None", "null")
_EMPTY_TEXT = frozenset(value for value in EMPTY if value is not None)


def text(value) -> str:
    if type(value) is str:  # most values: one set lookup instead of comparing with each of EMPTY
        return "" if value in _EMPTY_TEXT else value.strip()
    return "" if value in EMPTY else str(value).strip()


def is_empty(value, nothing: tuple = EMPTY) -> bool:
    """``value in nothing`` (by default ``EMPTY``), answered at once for a Decimal, which equals no text: comparing
    one with each text asks whether the text is a number through the abc machinery, several times per amount."""
    return type(value) is not Decimal and value in nothing


def later_times(raw: dict, created_at, *, created: str, modified: str, completed: str, parse,
                nothing: tuple = EMPTY) -> dict:
    """``updated_at`` and ``completed_at`` of a record whose times are the fields ``created``, ``modified`` and
    ``completed``, read with ``parse(raw, field)``. A time written as the one before it is that time, not parsed
    again (a record never changed was modified when created, and a completed one completed when last modified)."""
    modified_text = raw.get(modified)
    updated_at = created_at if modified_text == raw.get(created) else parse(raw, modified) or created_at
    if modified_text not in nothing and raw.get(completed) == modified_text:
        return {"updated_at": updated_at, "completed_at": updated_at}
    return {"updated_at": updated_at, "completed_at": parse(raw, completed)}


def required_text(raw: dict, field: str) -> str:
    value = text(raw.get(field))
    if not value:
        raise NormalizationError(f"{field} is missing")
    return value


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def exact_decimal(value, field: str) -> Decimal:
    """An exact number from an int, a Decimal or a numeric string; a float is refused, not rounded."""
    if isinstance(value, bool) or isinstance(value, float):
        raise NormalizationError(f"{field} {value!r} must be an exact number, not {type(value).__name__}")
    try:
        number = Decimal(value) if isinstance(value, (int, Decimal)) else Decimal(str(value).strip())
    except InvalidOperation:
        raise NormalizationError(f"{field} {value!r} is not a number") from None
    if not number.is_finite():
        raise NormalizationError(f"{field} {value!r} is not a finite number")
    return number


def iso_time(raw: dict, field: str, *, required: bool = False, naive_zone=None) -> datetime | None:
    """An ISO 8601 time; one without an offset is refused unless ``naive_zone`` says where it was written."""
    value = raw.get(field)
    if value in EMPTY:
        if required:
            raise NormalizationError(f"{field} is missing")
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise NormalizationError(f"{field} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        if naive_zone is None:
            raise NormalizationError(f"{field} {value!r} has no time zone")
        moment = moment.replace(tzinfo=naive_zone)
    return moment
