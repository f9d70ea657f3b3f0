"""PostgreSQL strategy: COPY the batch into a temporary staging table, then two set-based statements.

1. A transaction-scoped advisory lock per source in the batch, so that no other writer changes
   this source's rows until commit. Sync runs already hold a lease per provider, so the lock is
   normally free; a quarantine retry simply waits for the batch.
2. *Sort out* the batch against the table, one unique-index probe per staged row: staged rows
   identical to what is stored (or older) leave staging, and the rows about to be rewritten are
   totalled per group and slot as they are now.
3. The upsert of what is left: inserts new keys, rewrites changed ones, and totals what it wrote
   per group and slot (``xmax = 0`` marks a freshly inserted tuple).

(3) minus (2) is the exact change of totals the rollups need. Unchanged rows are never touched:
no row lock, no dirtied page, which is most of what a re-read look-back window sends.
"""

from datetime import datetime

from django.db import connection

from transactions.slots import SLOT_ORIGIN, SLOT_SECONDS
from transactions.writers import WriteOutcome
from transactions.writers.columns import (
    CHANGED_CONDITION,
    SET_CLAUSE,
    SOURCE_AT,
    STAGED_COLUMNS,
    STAGING_TABLE,
    TABLE,
)
from transactions.writers.deltas import outcome_of

_COLUMN_LIST = ", ".join(STAGED_COLUMNS)

# Same column types as the real table, none of its constraints or indexes; emptied at commit.
_CREATE_STAGING = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ON COMMIT DELETE ROWS AS "
    f"SELECT {_COLUMN_LIST} FROM {TABLE} WITH NO DATA"
)
_LOCK_SOURCE = "SELECT pg_advisory_xact_lock(hashtextextended('transactions_upsert:' || %s, 0))"
_SLOT = f"date_bin('{SLOT_SECONDS} seconds', {{column}}, %(origin)s)"
_GROUP_COLUMNS = "source, project, status, currency, direction"
# Amounts leave as exact numerics; a NULL fee counts as zero in a total.
_TOTALS = "count(*), sum(amount), coalesce(sum(fee), 0)"

# ``t`` is the stored row and ``excluded`` the staged one, as in the upsert's WHERE.
_SORT_OUT = f"""
WITH stored AS (
    SELECT excluded.ctid AS staged, {CHANGED_CONDITION} AS changes,
           t.source, t.project, t.status, t.currency, t.direction, t.created_at, t.amount, t.fee
    FROM {STAGING_TABLE} AS excluded
    JOIN {TABLE} AS t ON t.source = excluded.source AND t.source_id = excluded.source_id
), unchanged AS (
    DELETE FROM {STAGING_TABLE}
    WHERE ctid = ANY(ARRAY(SELECT staged FROM stored WHERE NOT changes))
)
SELECT {_GROUP_COLUMNS}, {_SLOT.format(column="created_at")}, {_TOTALS}
FROM stored WHERE changes
GROUP BY 1, 2, 3, 4, 5, 6
"""
# A batch is a few thousand keys in a table of millions: the plan must be one unique-index probe
# per staged row whatever the statistics say (fresh temporary tables have none, and a table just
# bulk-loaded has stale ones that once made the planner scan it whole for every batch).
# Sorting ~10,000 staged rows of ~400 bytes for the upsert needs ~4 MB: above PostgreSQL's default
# work_mem, it would spill to disk on every batch.
# A provider's raw record is often past the ~2 kB at which PostgreSQL compresses a row's largest value
# (most of Vima's documented records are): lz4 does it in a fraction of the CPU of the default pglz,
# which cost the database ~10 µs a row. Values keep the compression they got when staged, so this is
# set before the COPY; reading them is the same either way. Left alone on a server built without lz4.
# The settings last until commit.
_BATCH_SETTINGS = ("SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),"
                   " set_config('work_mem', '64MB', true), (SELECT set_config('default_toast_compression', 'lz4', true)"
                   " FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))")
_JOINS_BACK_ON = "SELECT set_config('enable_hashjoin', 'on', true), set_config('enable_mergejoin', 'on', true)"

# A new row's id is a UUIDv7 (RFC 9562): 48 bits of Unix milliseconds where a random (v4) UUID
# has its first six bytes, and the version nibble set to 7. Rows written together get neighbouring
# ids, so the primary key's index grows at its right edge instead of taking each insert at a random
# page of a large index.
_NEW_ID = ("encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING "
           "substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), "
           "52, 1), 53, 1), 'hex')::uuid")

# Every staged row left is new or changed; the WHERE still guards against a row that changed
# since (it cannot while the source lock is held, but the rule belongs with the write).
# Sorted by key so that index pages are visited in order.
_UPSERT = f"""
WITH written AS (
    INSERT INTO {TABLE} AS t (id, {_COLUMN_LIST}, ingested_at)
    SELECT {_NEW_ID}, {_COLUMN_LIST}, %(now)s
    FROM {STAGING_TABLE}
    ORDER BY source, source_id
    ON CONFLICT (source, source_id) DO UPDATE SET {SET_CLAUSE}
    WHERE {CHANGED_CONDITION}
    RETURNING (t.xmax = 0) AS inserted, t.source, t.project, t.status, t.currency, t.direction, t.created_at,
              t.amount, t.fee
)
SELECT {_GROUP_COLUMNS}, {_SLOT.format(column="created_at")}, {_TOTALS}, count(*) FILTER (WHERE inserted)
FROM written
GROUP BY 1, 2, 3, 4, 5, 6
"""


def write(staged: list[tuple], *, now: datetime) -> WriteOutcome:
    """Upsert ``staged`` rows (``columns.staged_values``: valid, one per key) in the caller's transaction."""
    with connection.cursor() as cursor:
        lock_sources(cursor, (values[SOURCE_AT] for values in staged))
        cursor.execute(_CREATE_STAGING)
        # The table survives the transaction on a pooled connection; a caller may also
        # upsert several batches inside one transaction.
        cursor.execute(f"TRUNCATE {STAGING_TABLE}")
        cursor.execute(_BATCH_SETTINGS)
        with cursor.copy(f"COPY {STAGING_TABLE} ({_COLUMN_LIST}) FROM STDIN") as copy:
            for values in staged:
                copy.write_row(values)
        cursor.execute(_SORT_OUT, {"origin": SLOT_ORIGIN})
        removed = cursor.fetchall()
        cursor.execute(_JOINS_BACK_ON)
        cursor.execute(_UPSERT, {"now": now, "origin": SLOT_ORIGIN})
        written = cursor.fetchall()
    inserted = sum(group[-1] for group in written)
    added = [group[:-1] for group in written]
    return outcome_of(inserted=inserted, updated=sum(group[6] for group in written) - inserted, added=added,
                      removed=removed)


def lock_sources(cursor, sources) -> None:
    """Hold the write lock of each source until the transaction ends (taken in one order: no deadlocks)."""
    for source in sorted(set(sources)):
        cursor.execute(_LOCK_SOURCE, [source])


def slot_totals_sql(minutes: int = 15) -> str:
    """Totals per group and slot of ``minutes`` of the stored rows created in [%(start)s, %(end)s)."""
    slot = f"date_bin('{minutes * 60} seconds', created_at, %(origin)s)"
    return (f"SELECT {_GROUP_COLUMNS}, {slot}, {_TOTALS} FROM {TABLE} "
            f"WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY 1, 2, 3, 4, 5, 6")
