"""Query parameters read one way everywhere: each bad value is a 400 naming the field, what was
expected and what was received, e.g. ``from_date: expected a date as YYYY-MM-DD, got '15-01-2026'``."""

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rest_framework.exceptions import ValidationError


def invalid(field: str, expected: str, received) -> ValidationError:
    """The error for one bad parameter, in the envelope's ``details`` shape ({field: [message]})."""
    return ValidationError({field: [f"expected {expected}, got {received!r}"]})


# Dates the API accepts: wide enough for any business question, narrow enough that a day in any time
# zone (and the day after it) is a valid datetime.
EARLIEST_DATE, LATEST_DATE = date(1970, 1, 1), date(2199, 12, 31)


def date_param(params, name: str, default: date | None = None) -> date | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 else _fail()
    except ValueError:
        raise invalid(name, "a date as YYYY-MM-DD", raw) from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise invalid(name, f"a date between {EARLIEST_DATE} and {LATEST_DATE}", raw)
    return value


def date_order(first: date | None, last: date | None) -> None:
    """A period whose first day comes after its last is a 400, not an empty answer."""
    if first is not None and last is not None and first > last:
        raise ValidationError({"from_date": [f"expected a date on or before to_date ({last}), got '{first}'"]})


def choice_param(params, name: str, choices, default: str | None = None) -> str | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if raw not in choices:
        raise invalid(name, f"one of {', '.join(choices)}", raw)
    return raw


def timezone_param(params, name: str = "timezone", default: str = "UTC") -> ZoneInfo:
    raw = params.get(name) or default
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid(name, "an IANA time zone such as UTC or Asia/Kolkata", raw) from None


def currency_param(params, name: str = "currency") -> str | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not (len(raw) == 3 and raw.isalpha() and raw.isupper()):
        raise invalid(name, "an ISO 4217 currency code such as INR", raw)
    return raw


def text_param(params, name: str, *, max_length: int = 128) -> str | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if len(raw) > max_length:
        raise invalid(name, f"at most {max_length} characters", raw[:20] + "…")
    return raw


def _fail():
    raise ValueError


def filterset_errors(filterset) -> ValidationError:
    """A django-filter FilterSet's errors in the same words: each field, what it expects, what came."""
    import django_filters

    details = {}
    for name, errors in filterset.errors.items():
        declared = filterset.filters.get(name)
        raw = filterset.data.get(name)
        if isinstance(declared, django_filters.DateFilter):
            try:
                date.fromisoformat(raw or "")
                expected = f"a date between {EARLIEST_DATE} and {LATEST_DATE}"
            except ValueError:
                expected = "a date as YYYY-MM-DD"
        elif isinstance(declared, django_filters.ChoiceFilter):
            choices = declared.extra["choices"]
            choices = choices() if callable(choices) else choices  # the sources' choices are the declarations'
            expected = f"one of {', '.join(str(value) for value, _ in choices)}"
        else:
            details[name] = [str(error) for error in errors]
            continue
        details[name] = [f"expected {expected}, got {raw!r}"]
    return ValidationError(details)
