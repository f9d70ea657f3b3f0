"""SQLite strategy: the same staging-table upsert as PostgreSQL, in SQLite's dialect.

SQLite has no COPY and no ``xmax``: the batch goes into staging with executemany, existing keys
are counted before the upsert, and RETURNING lists the rows actually written.
"""

import uuid
from datetime import datetime

from django.db import connection

from transactions.models import Transaction
from transactions.rows import NormalizedTransaction
from transactions.writers import TouchedGroup, WriteOutcome
from transactions.writers.columns import (
    CHANGED_CONDITION,
    SET_CLAUSE,
    STAGED_COLUMNS,
    STAGED_FIELDS,
    STAGING_TABLE,
    TABLE,
    staged_values,
)

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
# "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
_UPSERT = f"""
INSERT INTO {TABLE} AS t (id, {_COLUMN_LIST}, ingested_at)
SELECT id, {_COLUMN_LIST}, %s FROM {STAGING_TABLE} WHERE true ORDER BY source, source_id
ON CONFLICT (source, source_id) DO UPDATE SET {SET_CLAUSE}
WHERE {CHANGED_CONDITION}
RETURNING source, project, created_at
"""

_FIELDS = [Transaction._meta.get_field(name) for name in STAGED_FIELDS]
_ID_FIELD = Transaction._meta.get_field("id")
_CREATED_AT = Transaction._meta.get_field("created_at")


def write(rows: list[NormalizedTransaction], *, now: datetime) -> WriteOutcome:
    """Upsert ``rows`` (valid, one per key) in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_CREATE_STAGING)
        cursor.execute(f"DELETE FROM {STAGING_TABLE}")
        cursor.executemany(_FILL_STAGING, [_staged_values(row) for row in rows])
        cursor.execute(_COUNT_EXISTING)
        existing = cursor.fetchone()[0]
        cursor.execute(_UPSERT, [_prep(_CREATED_AT, now)])
        written = cursor.fetchall()
        cursor.execute(f"DELETE FROM {STAGING_TABLE}")
    inserted = len(rows) - existing
    return WriteOutcome(inserted=inserted, updated=len(written) - inserted, touched=_touched(written))


def _prep(field, value):
    return field.get_db_prep_save(value, connection)


def _staged_values(row: NormalizedTransaction) -> list:
    # raw_data is already JSON text; every other value goes through its field's adapter.
    values = [_prep(_ID_FIELD, uuid.uuid4())]
    for field, value in zip(_FIELDS, staged_values(row), strict=True):
        values.append(value if field.name == "raw_data" else _prep(field, value))
    return values


def _touched(written: list[tuple]) -> list[TouchedGroup]:
    spans: dict[tuple[str, str], list] = {}
    for source, project, created_at in written:
        created = connection.ops.convert_datetimefield_value(created_at, None, connection)
        span = spans.setdefault((source, project), [created, created])
        span[0], span[1] = min(span[0], created), max(span[1], created)
    return [TouchedGroup(source, project, first, last) for (source, project), (first, last) in spans.items()]
