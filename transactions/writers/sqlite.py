"""SQLite strategy: the same staging-table upsert as PostgreSQL, in SQLite's dialect.

SQLite has no COPY and no ``xmax``: the batch goes into staging with executemany, existing keys
are counted before the upsert, and RETURNING lists the rows actually written. SQLite allows one
writer at a time (transactions begin IMMEDIATE), so nothing changes between reading the rows
about to be rewritten and rewriting them. Totals per slot are added up here, in Decimal: SQLite
stores decimals as floating point, and its SUM would add them as such.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from django.db import connection

from transactions.models import Transaction
from transactions.money import quantize_money
from transactions.writers import WriteOutcome
from transactions.writers.columns import (
    CHANGED_CONDITION,
    SET_CLAUSE,
    STAGED_COLUMNS,
    STAGED_FIELDS,
    STAGING_TABLE,
    TABLE,
)
from transactions.writers.deltas import outcome_of, totals_by_slot

_COLUMN_LIST = ", ".join(STAGED_COLUMNS)
_CREATE_STAGING = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} AS "
    f"SELECT id, {_COLUMN_LIST} FROM {TABLE} WHERE 0"
)
_PLACEHOLDERS = ", ".join(["%s"] * (len(STAGED_COLUMNS) + 1))
_FILL_STAGING = f"INSERT INTO {STAGING_TABLE} (id, {_COLUMN_LIST}) VALUES ({_PLACEHOLDERS})"
_COUNT_EXISTING = (
    f"SELECT count(*) FROM {STAGING_TABLE} s JOIN {TABLE} t ON t.source = s.source AND t.source_id = s.source_id"
)
_TOTALLED = "source, project, status, currency, direction, created_at, amount, fee"
# The rows the upsert will rewrite, as they are now (``excluded`` is the staged row, as in the upsert).
_OLD_ROWS = f"""
SELECT t.source, t.project, t.status, t.currency, t.direction, t.created_at, t.amount, t.fee
FROM {STAGING_TABLE} AS excluded
JOIN {TABLE} AS t ON t.source = excluded.source AND t.source_id = excluded.source_id
WHERE {CHANGED_CONDITION}
"""
# "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
_UPSERT = f"""
INSERT INTO {TABLE} AS t (id, {_COLUMN_LIST}, ingested_at)
SELECT id, {_COLUMN_LIST}, %s FROM {STAGING_TABLE} WHERE true ORDER BY source, source_id
ON CONFLICT (source, source_id) DO UPDATE SET {SET_CLAUSE}
WHERE {CHANGED_CONDITION}
RETURNING {_TOTALLED}
"""

_FIELDS = [Transaction._meta.get_field(name) for name in STAGED_FIELDS]
_ID_FIELD = Transaction._meta.get_field("id")
_CREATED_AT = Transaction._meta.get_field("created_at")


def write(staged: list[tuple], *, now: datetime) -> WriteOutcome:
    """Upsert ``staged`` rows (``columns.staged_values``: valid, one per key) in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_CREATE_STAGING)
        cursor.execute(f"DELETE FROM {STAGING_TABLE}")
        cursor.executemany(_FILL_STAGING, [_adapted(values) for values in staged])
        cursor.execute(_COUNT_EXISTING)
        existing = cursor.fetchone()[0]
        cursor.execute(_OLD_ROWS)
        removed = _totals(cursor.fetchall())
        cursor.execute(_UPSERT, [_prep(_CREATED_AT, now)])
        written = cursor.fetchall()
        cursor.execute(f"DELETE FROM {STAGING_TABLE}")
    inserted = len(staged) - existing
    return outcome_of(inserted=inserted, updated=len(written) - inserted, added=_totals(written), removed=removed)


def _prep(field, value):
    return field.get_db_prep_save(value, connection)


def _adapted(staged: tuple) -> list:
    # raw_data is already JSON text; every other value goes through its field's adapter.
    values = [_prep(_ID_FIELD, uuid.uuid4())]
    for field, value in zip(_FIELDS, staged, strict=True):
        values.append(value if field.name == "raw_data" else _prep(field, value))
    return values


def _totals(rows: list[tuple]) -> list[tuple]:
    """Rows of ``_TOTALLED`` columns as SQLite returns them → totals per group and slot."""
    convert_time = connection.ops.convert_datetimefield_value
    return totals_by_slot(
        (source, project, status, currency, direction, convert_time(created_at, None, connection),
         _decimal(amount), _decimal(fee))
        for source, project, status, currency, direction, created_at, amount, fee in rows
    )


def _decimal(value) -> Decimal | None:
    """A stored SQLite number back to the Decimal that was written (floats by their shortest repr)."""
    if value is None:
        return None
    return quantize_money(Decimal(repr(value) if isinstance(value, float) else str(value)))
