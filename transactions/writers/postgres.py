"""PostgreSQL strategy: COPY the batch into a temporary staging table, then one INSERT … ON CONFLICT.

The one statement inserts new keys, rewrites changed ones, skips the rest, and counts both kinds
from RETURNING (``xmax = 0`` marks a freshly inserted tuple).
"""

from datetime import datetime

from django.db import connection

from transactions.rows import NormalizedTransaction
from transactions.writers import TouchedGroup, WriteOutcome
from transactions.writers.columns import (
    CHANGED_CONDITION,
    SET_CLAUSE,
    STAGED_COLUMNS,
    STAGING_TABLE,
    TABLE,
    staged_values,
)

_COLUMN_LIST = ", ".join(STAGED_COLUMNS)
_STAGED_LIST = ", ".join(f"s.{column}" for column in STAGED_COLUMNS)

# Same column types as the real table, none of its constraints or indexes; emptied at commit.
_CREATE_STAGING = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ON COMMIT DELETE ROWS AS "
    f"SELECT {_COLUMN_LIST} FROM {TABLE} WITH NO DATA"
)

# Rows whose stored twin has the same hash (or is newer) are dropped by the join before the insert,
# so an unchanged row costs one index lookup and is never locked or dirtied. The ON CONFLICT
# condition repeats the test for a row that another transaction wrote since the join looked.
# Sorted by key so that concurrent batches lock rows in one order and index pages are visited in order.
_UPSERT = f"""
WITH written AS (
    INSERT INTO {TABLE} AS t (id, {_COLUMN_LIST}, ingested_at)
    SELECT gen_random_uuid(), {_STAGED_LIST}, %(now)s
    FROM {STAGING_TABLE} s
    LEFT JOIN {TABLE} old ON old.source = s.source AND old.source_id = s.source_id
    WHERE old.id IS NULL OR (old.data_hash <> s.data_hash AND old.updated_at <= s.updated_at)
    ORDER BY s.source, s.source_id
    ON CONFLICT (source, source_id) DO UPDATE SET {SET_CLAUSE}
    WHERE {CHANGED_CONDITION}
    RETURNING (t.xmax = 0) AS inserted, t.source, t.project, t.created_at
)
SELECT source, project,
       count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
       min(created_at), max(created_at)
FROM written
GROUP BY source, project
"""


def write(rows: list[NormalizedTransaction], *, now: datetime) -> WriteOutcome:
    """Upsert ``rows`` (valid, one per key) in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_CREATE_STAGING)
        # The table survives the transaction on a pooled connection; a caller may also
        # upsert several batches inside one transaction.
        cursor.execute(f"TRUNCATE {STAGING_TABLE}")
        with cursor.copy(f"COPY {STAGING_TABLE} ({_COLUMN_LIST}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(staged_values(row))
        cursor.execute(_UPSERT, {"now": now})
        groups = cursor.fetchall()
    inserted = sum(group[2] for group in groups)
    updated = sum(group[3] for group in groups)
    touched = [TouchedGroup(source, project, first, last) for source, project, _, _, first, last in groups]
    return WriteOutcome(inserted=inserted, updated=updated, touched=touched)

