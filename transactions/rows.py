"""The normalized row: what a provider's normalizer produces and the write path consumes.

It is a plain frozen dataclass, not an ORM object, so normalizers stay pure and fast. Its
``data_hash`` covers the business fields only (not the raw payload, not the provider's cursors),
in a canonical form: Decimal 1500 and 1500.0 hash alike, datetimes hash as UTC.
"""

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal
from functools import cached_property
from operator import attrgetter

import orjson

from common.sources import source_names
from transactions.choices import Direction, Status
from transactions.money import MONEY_DECIMAL_PLACES, MONEY_LIMIT, quantize_money


@dataclass(frozen=True)
class NormalizedTransaction:
    """One provider record in the unified shape of SPEC section 4 (see ``transactions.models.Transaction``)."""

    source: str
    source_id: str
    amount: Decimal
    currency: str
    status: str
    direction: str
    created_at: datetime
    updated_at: datetime
    reference_id: str = ""
    client_operation_id: str = ""
    order_id: str = ""
    project: str = ""
    merchant_id: str = ""
    fee: Decimal | None = None
    original_status: str = ""
    user_id: str = ""
    user_email: str = ""
    user_phone: str = ""
    user_name: str = ""
    country: str = ""
    utr: str = ""
    payment_method: str = ""
    payment_product: str = ""
    completed_at: datetime | None = None
    source_create_cursor: str = ""
    source_update_cursor: str = ""
    raw_data: dict = field(default_factory=dict, compare=False, repr=False)
    # What the normalizer noticed but could map anyway (e.g. an unknown status); counted, not stored.
    warnings: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @cached_property
    def data_hash(self) -> str:
        """SHA-256 of the canonical business fields; computed once per row."""
        canonical = list(_hashed_values(self))
        previous = written = None
        for at in _CANONICAL_AT:  # money and times; every other field is text, canonical as it is
            value = canonical[at]
            if value is not previous:  # a normalizer often gives one time object to several fields
                previous, written = value, _canonical(value)
            canonical[at] = written
        return hashlib.sha256(_encoded(canonical)).hexdigest()

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.source_id)


# Cursors say where the provider's feed stood, raw_data how it spelled the record: neither is
# business data, so a record re-delivered with a new cursor or reformatted JSON is "unchanged".
NOT_HASHED = frozenset({"raw_data", "source_create_cursor", "source_update_cursor"})
_NOT_STORED = frozenset({"warnings"})
ROW_FIELDS = tuple(f.name for f in fields(NormalizedTransaction) if f.name not in _NOT_STORED)
HASHED_FIELDS = tuple(name for name in ROW_FIELDS if name not in NOT_HASHED)
_hashed_values = attrgetter(*HASHED_FIELDS)
# Where the money and the times stand among them: the only values ``_canonical`` changes in a valid row
# (one call per row field cost a third of the sync's per-row work in its reader process).
_CANONICAL_AT = tuple(at for at, name in enumerate(HASHED_FIELDS) if name in ("amount", "fee", "created_at",
                                                                             "updated_at", "completed_at"))


_ENCODER = json.JSONEncoder(separators=(",", ":"))  # built once: constructing one per row costs more than using it
_TEXT_OR_NULL = {str, type(None)}


def _encoded(values: list) -> bytes:
    """``values`` as the JSON text ``_ENCODER`` writes, in bytes: what the hash is taken of.

    orjson writes a list of plain ASCII text and nulls byte for byte as ``json`` does, ten times faster;
    anything else (text with non-ASCII characters or DEL, which ``json`` escapes, or a value that is not
    text: an invalid row) is written by ``json`` from each value's canonical form.
    """
    if set(map(type, values)) <= _TEXT_OR_NULL:
        try:
            encoded = orjson.dumps(values)
        except orjson.JSONEncodeError:  # a lone surrogate, which json escapes
            encoded = None
        if encoded is not None and encoded.isascii() and b"\x7f" not in encoded:
            return encoded
    return _ENCODER.encode([_canonical(value) for value in values]).encode()


def _canonical(value):
    if isinstance(value, Decimal):
        return format(quantize_money(value), "f")
    if isinstance(value, datetime):
        return (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()
    return value


_REQUIRED_TEXT = ("source", "source_id", "currency", "status", "direction")
_NOT_TEXT = frozenset({"amount", "fee", "created_at", "updated_at", "completed_at", "raw_data"})
_OPTIONAL_TEXT = tuple(name for name in ROW_FIELDS if name not in _REQUIRED_TEXT and name not in _NOT_TEXT)
_optional_text_values = attrgetter(*_OPTIONAL_TEXT)
_JUST_TEXT = {str}


_STATUSES, _DIRECTIONS = frozenset(Status.values), frozenset(Direction.values)
TRANSACTIONS = "transactions"  # the sink whose sources' rows are transactions


def row_problems(row: NormalizedTransaction) -> list[str]:
    """Everything wrong with one row, as sentences naming the field; an empty list when it is valid."""
    if _is_valid(row):
        return []
    return _describe_problems(row)


def _is_valid(row: NormalizedTransaction) -> bool:
    """The common case, checked in a few microseconds; any doubt falls through to the full description."""
    amount, fee = row.amount, row.fee
    return (
        row.source in source_names(sink=TRANSACTIONS)
        and row.status in _STATUSES
        and row.direction in _DIRECTIONS
        and type(row.source_id) is str
        and row.source_id.strip() != ""
        and type(row.currency) is str
        and len(row.currency) == 3
        and row.currency.isupper()
        and set(map(type, _optional_text_values(row))) == _JUST_TEXT
        and _is_money(amount)
        and (fee is None or _is_money(fee))
        and _is_aware(row.created_at)
        and _is_aware(row.updated_at)
        and (row.completed_at is None or _is_aware(row.completed_at))
        and type(row.raw_data) is dict
    )


def _is_money(value) -> bool:
    return type(value) is Decimal and value.is_finite() and -MONEY_LIMIT < value < MONEY_LIMIT and (
        value == quantize_money(value)
    )


def _is_aware(value) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _describe_problems(row: NormalizedTransaction) -> list[str]:
    problems = []
    for name in _REQUIRED_TEXT:
        value = getattr(row, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} is missing")
    for name in _OPTIONAL_TEXT:
        if not isinstance(getattr(row, name), str):
            problems.append(f"{name} must be text, got {type(getattr(row, name)).__name__}")
    problems += _choice_problems(row)
    problems += _money_problem("amount", row.amount, required=True)
    problems += _money_problem("fee", row.fee, required=False)
    for name, required in (("created_at", True), ("updated_at", True), ("completed_at", False)):
        problems += _datetime_problem(name, getattr(row, name), required=required)
    if not isinstance(row.raw_data, dict):
        problems.append(f"raw_data must be a JSON object, got {type(row.raw_data).__name__}")
    return problems


def _choice_problems(row: NormalizedTransaction) -> list[str]:
    problems = []
    sources = sorted(source_names(sink=TRANSACTIONS))
    for name, allowed in (("source", sources), ("status", Status.values), ("direction", Direction.values)):
        value = getattr(row, name)
        if isinstance(value, str) and value and value not in allowed:
            problems.append(f"{name} {value!r} is not one of {', '.join(allowed)}")
    if isinstance(row.currency, str) and row.currency and not (len(row.currency) == 3 and row.currency.isupper()):
        problems.append(f"currency {row.currency!r} is not an ISO 4217 code")
    return problems


def _money_problem(name: str, value, *, required: bool) -> list[str]:
    if value is None:
        return [f"{name} is missing"] if required else []
    if not isinstance(value, Decimal):
        return [f"{name} must be a Decimal, got {type(value).__name__} {value!r}"]
    if not value.is_finite():
        return [f"{name} {value} is not a finite number"]
    if value.as_tuple().exponent < -MONEY_DECIMAL_PLACES and value != quantize_money(value):
        return [f"{name} {value} has more than {MONEY_DECIMAL_PLACES} decimal places"]
    if abs(value) >= MONEY_LIMIT:
        return [f"{name} {value} is too large"]
    return []


def _datetime_problem(name: str, value, *, required: bool) -> list[str]:
    if value is None:
        return [f"{name} is missing"] if required else []
    if not isinstance(value, datetime):
        return [f"{name} must be a datetime, got {type(value).__name__}"]
    if value.tzinfo is None or value.utcoffset() is None:
        return [f"{name} {value.isoformat()} is naive; times must carry a time zone"]
    return []
