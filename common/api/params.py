"""Query parameters read one way everywhere: DRF fields that input serializers declare (each endpoint's
``*Params`` serializer), so that the server's parsing and the OpenAPI schema come from one declaration.

Each bad value is a 400 naming the field, what was expected and what was received, e.g.
``from_date: expected a date as YYYY-MM-DD, got '15-01-2026'``. A parameter given empty (``status=``)
is as wrong as any other value outside its choices: only free text may be empty (meaning "any").
"""

import re
from datetime import date
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.utils import html

# Dates the API accepts: wide enough for any business question, narrow enough that a day in any time
# zone (and the day after it) is a valid datetime.
EARLIEST_DATE, LATEST_DATE = date(1970, 1, 1), date(2199, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: fromisoformat also takes 2026-W01-1
# The same set of strings as a JSON-schema pattern, so that the schema says which dates are valid (every
# day of every month, 29 February of leap years only, 1970–2199) and a generator makes only those.
_MONTH_DAYS = (r"(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
               r"|02-(0[1-9]|1[0-9]|2[0-8])")
_LEAP_YEARS = r"19(7[26]|8[048]|9[26])|20([02468][048]|[13579][26])|21([2468]0|[02468][48]|[13579][26])"
DATE_PATTERN = rf"^((19[7-9][0-9]|2[01][0-9][0-9])-({_MONTH_DAYS})|({_LEAP_YEARS})-02-29)$"
# The sources' enum is named once (SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES); a time zone refers to this.
TIMEZONE_SCHEMA = "TimeZone"


def invalid(field: str, expected: str, received) -> ValidationError:
    """The error for one bad parameter, in the envelope's ``details`` shape ({field: [message]})."""
    return ValidationError({field: [f"expected {expected}, got {received!r}"]})


def parse_date(raw) -> date:
    """``raw`` as a date, strictly ``YYYY-MM-DD`` within the accepted range; ValueError naming what came."""
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"expected a date as YYYY-MM-DD, got {raw!r}")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {raw!r}") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"expected a date between {EARLIEST_DATE} and {LATEST_DATE}, got {raw!r}")
    return value


def date_order(first: date | None, last: date | None, *, names: tuple[str, str] = ("from_date", "to_date")) -> None:
    """A period whose first day comes after its last is a 400, not an empty answer."""
    if first is not None and last is not None and first > last:
        raise ValidationError({names[0]: [f"expected a date on or before {names[1]} ({last}), got '{first}'"]})


def parsed(serializer_class, data, **kwargs) -> dict:
    """``data`` (a QueryDict or any mapping) through ``serializer_class``: its validated values, or the
    ValidationError naming each bad parameter. The API and the dashboard call this alike."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def parsed_with_defaults(serializer_class, data) -> tuple[dict, list[str]]:
    """For a page, not the API: ``data`` through ``serializer_class`` with each bad parameter left out (so its
    default applies), and a ``"name: message"`` line per parameter left out, for the page to show."""
    data, problems = dict(data), []
    try:
        return parsed(serializer_class, data), problems
    except ValidationError as error:
        for name, messages in error.detail.items():
            data.pop(name, None)
            problems.extend(f"{name}: {message}" for message in messages)
    try:
        return parsed(serializer_class, data), problems
    except ValidationError:  # a rule across parameters still fails: every default
        return parsed(serializer_class, {}), problems


class GivenEmpty:
    """A parameter given empty (``status=``) is read as given: DRF reads an empty form field as left out."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            return dictionary[self.field_name]
        return super().get_value(dictionary)


class _Param(GivenEmpty, serializers.Field):
    """A query parameter: optional unless told, a one-line ``expected …, got …`` message when wrong."""

    expected = "a value"

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["required"] = f"expected {self.expected}, got nothing"
        self.error_messages["null"] = f"expected {self.expected}, got nothing"

    def wrong(self, raw):
        raise serializers.ValidationError(f"expected {self.expected}, got {raw!r}")

    def to_representation(self, value):
        return value


DATE_SCHEMA = {"type": "string", "format": "date", "pattern": DATE_PATTERN,
               "description": f"YYYY-MM-DD, {EARLIEST_DATE} to {LATEST_DATE}"}


@extend_schema_field(DATE_SCHEMA)
class DateParam(_Param):
    expected = "a date as YYYY-MM-DD"

    def to_internal_value(self, data):
        try:
            return parse_date(data)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


class ChoiceParam(GivenEmpty, serializers.ChoiceField):
    """One of ``choices`` (a list of values or (value, label) pairs, or a callable giving them when the
    serializer is built, as the declared sources do); never empty."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices() if callable(choices) else choices, **kwargs)
        self.error_messages["required"] = f"expected one of {self._listed()}, got nothing"

    def _listed(self) -> str:
        return ", ".join(str(value) for value in self.choices)

    def to_internal_value(self, data):
        if not isinstance(data, str) or data not in self.choice_strings_to_values:
            raise serializers.ValidationError(f"expected one of {self._listed()}, got {data!r}")
        return self.choice_strings_to_values[data]


@extend_schema_field({"$ref": f"#/components/schemas/{TIMEZONE_SCHEMA}"})
class TimezoneParam(_Param):
    """An IANA time zone, as a ZoneInfo."""

    expected = "an IANA time zone such as UTC or Asia/Kolkata"

    def to_internal_value(self, data):
        if data not in time_zone_names():
            self.wrong(data)
        return ZoneInfo(data)


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA time zone this machine knows (the tzdata package pins the list), sorted."""
    return tuple(sorted(available_timezones()))


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217, e.g. INR"})
class CurrencyParam(_Param):
    expected = "an ISO 4217 currency code such as INR"

    def to_internal_value(self, data):
        if not (isinstance(data, str) and len(data) == 3 and data.isascii() and data.isalpha() and data.isupper()):
            self.wrong(data)
        return data


class TextParam(GivenEmpty, serializers.CharField):
    """Free text up to ``max_length`` characters. Optional, empty means "any" (given as None); required
    (``required=True``: an account code, a series), it must be given and not empty."""

    def __init__(self, *, max_length: int = 128, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, allow_blank=not kwargs["required"], trim_whitespace=False, **kwargs)
        self.error_messages["required"] = "expected a value, got nothing"
        self.error_messages["blank"] = "expected a value, got ''"
        # For the schema (a pattern): to_internal_value refuses a NUL first, in the API's words. One character
        # at least: the schema offers the empty value as its own alternative (oneOf), which must not match twice.
        self.validators.append(RegexValidator(r"^[^\x00]+$"))

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(f"expected text, got {data!r}")
        if len(data) > self.max_length:
            raise serializers.ValidationError(f"expected at most {self.max_length} characters, got "
                                              f"{data[:20] + '…'!r}")
        if "\x00" in data:
            raise serializers.ValidationError("expected text without NUL characters")
        return data or None


class BodyText(serializers.CharField):
    """Text in a request body. DRF refuses NUL characters; the pattern says so in the schema too (one character
    at least: with ``allow_blank`` the schema offers the empty value as its own alternative)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(r"^[^\x00]+$"))


_DIGITS = re.compile(r"[0-9]{1,20}")  # ASCII digits only: int() also takes "١٢", " 5" and "1_0"


class WholeNumberParam(GivenEmpty, serializers.IntegerField):
    """A whole number from ``minimum`` to ``maximum``, written in ASCII digits."""

    def __init__(self, *, maximum: int, minimum: int = 1, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=minimum, max_value=maximum, **kwargs)
        self.validators = []  # the bounds are checked below, in the API's words

    def to_internal_value(self, data):
        low, high = self.min_value, self.max_value
        if not isinstance(data, str | int) or isinstance(data, bool) or not _DIGITS.fullmatch(str(data)):
            raise serializers.ValidationError(f"must be a whole number between {low} and {high}, "
                                              f"got {str(data)[:30]!r}")
        value = int(data)
        if not low <= value <= high:
            raise serializers.ValidationError(f"must be between {low} and {high}, got {value}")
        return value


MAX_ID = 10**18 - 1


class IdParam(WholeNumberParam):
    """A row's id: up to 18 digits, so that it fits a bigint whatever it is compared with."""

    def __init__(self, **kwargs):
        super().__init__(maximum=MAX_ID, **kwargs)


def time_zone_schema() -> dict:
    """The ``TimeZone`` component the ``timezone`` parameters refer to (one list, not one per operation)."""
    return {"type": "string", "enum": list(time_zone_names()),
            "description": "an IANA time zone, e.g. UTC or Asia/Kolkata"}
