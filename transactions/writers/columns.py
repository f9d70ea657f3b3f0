"""Column lists and SQL fragments shared by the vendor writers, derived from the model."""

import json
from operator import attrgetter

from django.core.serializers.json import DjangoJSONEncoder

from transactions.models import Transaction
from transactions.rows import ROW_FIELDS, NormalizedTransaction

TABLE = Transaction._meta.db_table
STAGING_TABLE = "transaction_staging"

# What the staging table holds: every row field plus the hash computed in Python.
_PLAIN_FIELDS = tuple(name for name in ROW_FIELDS if name != "raw_data")
STAGED_FIELDS = (*_PLAIN_FIELDS, "raw_data", "data_hash")
STAGED_COLUMNS = tuple(Transaction._meta.get_field(name).column for name in STAGED_FIELDS)

# On conflict, everything but the identity and the first-ingest time follows the new row.
_KEEP_ON_UPDATE = {"id", "source", "source_id", "ingested_at"}
UPDATED_COLUMNS = tuple(column for column in STAGED_COLUMNS if column not in _KEEP_ON_UPDATE)

SET_CLAUSE = ", ".join(f"{column} = excluded.{column}" for column in UPDATED_COLUMNS)
# A row is rewritten only when its business data changed and it is not older than what we hold:
# a late re-delivery of an earlier state must not overwrite a newer one.
# Both writers name the target table ``t``.
CHANGED_CONDITION = "t.data_hash <> excluded.data_hash AND t.updated_at <= excluded.updated_at"


def dump_raw(raw: dict) -> str:
    """The raw provider record as JSON text (Decimals written as strings, datetimes as ISO 8601)."""
    return json.dumps(raw, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


_plain_values = attrgetter(*_PLAIN_FIELDS)


def staged_values(row: NormalizedTransaction) -> tuple:
    """The row's values in ``STAGED_COLUMNS`` order, as Python objects."""
    return (*_plain_values(row), dump_raw(row.raw_data), row.data_hash)
