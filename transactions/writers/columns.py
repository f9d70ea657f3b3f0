"""Column lists and SQL fragments shared by the vendor writers, derived from the model."""

import json
from decimal import Decimal
from operator import attrgetter

import orjson
from django.core.serializers.json import DjangoJSONEncoder

from transactions.models import Transaction
from transactions.rows import ROW_FIELDS, NormalizedTransaction

TABLE = Transaction._meta.db_table
STAGING_TABLE = "transaction_staging"

# What the staging table holds: every row field plus the hash computed in Python.
_PLAIN_FIELDS = tuple(name for name in ROW_FIELDS if name != "raw_data")
STAGED_FIELDS = (*_PLAIN_FIELDS, "raw_data", "data_hash")
STAGED_COLUMNS = tuple(Transaction._meta.get_field(name).column for name in STAGED_FIELDS)
# Where a staged row holds its key.
SOURCE_AT, SOURCE_ID_AT = STAGED_FIELDS.index("source"), STAGED_FIELDS.index("source_id")

# On conflict, everything but the identity and the first-ingest time follows the new row.
_KEEP_ON_UPDATE = {"id", "source", "source_id", "ingested_at"}
UPDATED_COLUMNS = tuple(column for column in STAGED_COLUMNS if column not in _KEEP_ON_UPDATE)

SET_CLAUSE = ", ".join(f"{column} = excluded.{column}" for column in UPDATED_COLUMNS)
# A row is rewritten only when its business data changed and it is not older than what we hold:
# a late re-delivery of an earlier state must not overwrite a newer one.
# Both writers name the target table ``t``.
CHANGED_CONDITION = "t.data_hash <> excluded.data_hash AND t.updated_at <= excluded.updated_at"


def dump_raw(raw: dict) -> str:
    """The raw provider record as JSON text (Decimals written as strings, datetimes as ISO 8601).

    orjson writes the common record (text, numbers, Decimals) several times faster than ``json``; anything
    it would spell differently from ``DjangoJSONEncoder`` (a datetime, an integer past 64 bits) is written
    by ``json``, so the text is the same either way.
    """
    try:
        return orjson.dumps(raw, default=_decimal_as_text, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
    except orjson.JSONEncodeError:
        return json.dumps(raw, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


def _decimal_as_text(value):
    if type(value) is Decimal:
        return str(value)
    raise TypeError(type(value).__name__)


_plain_values = attrgetter(*_PLAIN_FIELDS)


def staged_values(row: NormalizedTransaction) -> tuple:
    """The row as it is written: its values in ``STAGED_COLUMNS`` order, the raw record as JSON text.

    This is what a sync's reader process hands to the writer: a flat tuple pickles and unpickles at a
    fraction of the cost of the row with its nested raw record, and the writer has nothing left to encode.
    """
    return (*_plain_values(row), dump_raw(row.raw_data), row.data_hash)


def staged_key(staged: tuple) -> tuple[str, str]:
    """(source, source_id) of a staged row."""
    return staged[SOURCE_AT], staged[SOURCE_ID_AT]
