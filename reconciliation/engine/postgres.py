"""The engine on PostgreSQL: one statement classifies every key of the range and stores the results.

Each side is reduced to its first row per (project, key) plus the number of rows (``DISTINCT ON``
with a window count over the same order, so one sort serves both); the two sides meet in a FULL
OUTER JOIN (same key, and the same business day or within the settlement lag of each other); flags
and class are computed in SQL, and ``INSERT … SELECT … RETURNING`` writes the results while the
outer query counts them per class; the reviews of an earlier run (few: people make them) come in as
arrays and join by key. No row passes through Python. The rules are those of
``classify.py``.
"""

from django.db import connection

from reconciliation.engine.parameters import OPEN, OPEN_STATUSES, Review, RunParameters
from reconciliation.models import ReconciliationResult
from transactions.models import Transaction

# Memory for the statement's sorts and hash join: ~1M keys a side take ~150 MB; one run at a time per pair.
WORK_MEM = "256MB"

# Keys are sorted byte-wise (COLLATE "C"): grouping needs equal keys side by side, not a language's
# order, and byte comparison is several times cheaper than the database's locale. The key leads
# (not the project, the same on most rows), so the sort's abbreviated keys tell rows apart.
_SIDE = """
    SELECT DISTINCT ON ({key} COLLATE "C", project COLLATE "C")
           project, {key} AS key, id, amount, currency, status, created_at,
           count(*) OVER (PARTITION BY {key} COLLATE "C", project COLLATE "C" ORDER BY created_at, id
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n
    FROM {transactions}
    WHERE source = %(source_{side})s AND project = ANY(%(projects)s) AND {key} <> ''{shard}
      AND created_at >= %(scan_from)s AND created_at < %(scan_to)s
    ORDER BY {key} COLLATE "C", project COLLATE "C", created_at, id
"""

_FINAL = "CASE WHEN {0} = ANY(%(open_statuses)s) THEN %(open)s ELSE {0} END"

_STATEMENT = """
WITH
l AS ({left}),
r AS ({right}),
tolerance AS (
    SELECT * FROM unnest(%(tolerance_projects)s::text[], %(tolerance_absolute)s::numeric[],
                         %(tolerance_percent)s::numeric[]) AS t(project, absolute, percent)
),
paired AS (
    SELECT coalesce(l.project, r.project) AS project, coalesce(l.key, r.key) AS key,
           coalesce(l.created_at, r.created_at) AS dated_by,
           l.id AS l_id, l.n AS l_n, l.amount AS l_amount, l.currency AS l_currency, l.status AS l_status,
           r.id AS r_id, r.n AS r_n, r.amount AS r_amount, r.currency AS r_currency, r.status AS r_status
    FROM l FULL OUTER JOIN r ON r.project = l.project AND r.key = l.key AND (
        -- the cheap test first: most partners are minutes apart
        r.created_at - l.created_at BETWEEN -%(lag)s AND %(lag)s
        OR (l.created_at AT TIME ZONE %(time_zone)s)::date = (r.created_at AT TIME ZONE %(time_zone)s)::date)
),
flagged AS (
    SELECT paired.*,
           -- equal amounts (most pairs) skip the tolerance's numeric arithmetic, a third of the statement's time
           coalesce(CASE WHEN l_currency <> r_currency THEN true
                         WHEN l_amount = r_amount THEN false
                         ELSE abs(r_amount - l_amount) > greatest(
                             coalesce(t.absolute, %(default_absolute)s),
                             coalesce(t.percent, %(default_percent)s) / 100 * greatest(abs(l_amount), abs(r_amount)))
                    END, false) AS amount_differs,
           coalesce({final_l} <> {final_r}, false) AS status_differs
    FROM paired LEFT JOIN tolerance t ON t.project = paired.project
    WHERE dated_by >= %(window_from)s AND dated_by < %(window_to)s
),
prior AS (
    SELECT * FROM unnest(%(prior_projects)s::text[], %(prior_keys)s::text[], %(prior_states)s::text[],
                         %(prior_assignees)s::integer[], %(prior_reasons)s::text[], %(prior_notes)s::text[],
                         %(prior_reviewed)s::timestamptz[])
        AS p(project, key, review_state, assignee_id, reason_code, note, reviewed_at)
),
written AS (
    INSERT INTO {results} (run_id, key, result_date, project, result_type, amount_differs, status_differs,
                           vima_transaction_id, payshack_transaction_id, vima_count, payshack_count,
                           vima_amount, payshack_amount, vima_currency, payshack_currency, vima_status,
                           payshack_status, difference, review_state, assignee_id, reason_code, note, reviewed_at)
    SELECT %(run_id)s, flagged.key, coalesce(%(only_day)s::date, (dated_by AT TIME ZONE %(time_zone)s)::date),
           flagged.project,
           CASE WHEN l_n > 1 OR r_n > 1 THEN 'duplicate'
                WHEN l_id IS NULL THEN 'missing_vima'
                WHEN r_id IS NULL THEN 'missing_payshack'
                WHEN status_differs THEN 'discrepancy_status'
                WHEN amount_differs THEN 'discrepancy_amount'
                ELSE 'matched' END,
           amount_differs, status_differs, l_id, r_id, coalesce(l_n, 0), coalesce(r_n, 0), l_amount, r_amount,
           coalesce(l_currency, ''), coalesce(r_currency, ''), coalesce(l_status, ''), coalesce(r_status, ''),
           CASE WHEN l_currency = r_currency THEN r_amount - l_amount END, coalesce(prior.review_state, 'open'),
           prior.assignee_id, coalesce(prior.reason_code, ''), coalesce(prior.note, ''), prior.reviewed_at
    FROM flagged LEFT JOIN prior ON prior.project = flagged.project AND prior.key = flagged.key
    RETURNING result_type
)
SELECT result_type, count(*) FROM written GROUP BY result_type
"""


# A shard's keys: the key's hash modulo the number of shards. Both sides of a key hash alike, so a
# shard holds every row a key's result depends on. (The mask keeps the hash non-negative.)
_SHARD = " AND (hashtext({key}) & 2147483647) %% %(shards)s = %(shard)s"


def statement(*, sharded: bool = False) -> str:
    transactions = connection.ops.quote_name(Transaction._meta.db_table)
    shard = {side: _SHARD.format(key=key) if sharded else "" for side, key in SIDE_KEYS.items()}
    return _STATEMENT.format(
        left=_SIDE.format(key=SIDE_KEYS["left"], side="left", transactions=transactions, shard=shard["left"]),
        right=_SIDE.format(key=SIDE_KEYS["right"], side="right", transactions=transactions, shard=shard["right"]),
        final_l=_FINAL.format("l_status"), final_r=_FINAL.format("r_status"),
        results=connection.ops.quote_name(ReconciliationResult._meta.db_table),
    )


SIDE_KEYS = {"left": "client_operation_id", "right": "order_id"}

_PRIOR = {"states": "review_state", "assignees": "assignee_id", "reasons": "reason_code", "notes": "note",
          "reviewed": "reviewed_at"}


def results_write_sql(*, run_id: int, params: RunParameters, reviews: dict[tuple[str, str], Review],
                      shard: tuple[int, int] = (0, 1)) -> dict[str, int]:
    """Write the results of the keys of ``shard`` (its number, and how many there are) on this
    connection, in its transaction; return their counts per class."""
    number, shards = shard
    scan_from, scan_to = params.scan
    window_from, window_to = params.window
    projects = sorted(params.tolerances)
    values = {
        "run_id": run_id, "source_left": params.left, "source_right": params.right,
        "projects": list(params.projects), "scan_from": scan_from, "scan_to": scan_to,
        "window_from": window_from, "window_to": window_to, "time_zone": params.time_zone,
        # A one-day run dates every result by that day: no time-zone conversion per row.
        "only_day": params.date_from if params.date_from == params.date_to else None,
        "shard": number, "shards": shards,
        "open_statuses": list(OPEN_STATUSES), "open": OPEN, "lag": params.lag,
        "default_absolute": params.default_tolerance.absolute, "default_percent": params.default_tolerance.percent,
        "tolerance_projects": projects,
        "tolerance_absolute": [params.tolerances[p].absolute for p in projects],
        "tolerance_percent": [params.tolerances[p].percent for p in projects],
        "prior_projects": [project for project, _ in reviews], "prior_keys": [key for _, key in reviews],
        **{f"prior_{name}": [getattr(review, field) for review in reviews.values()] for name, field in _PRIOR.items()},
    }
    with connection.cursor() as cursor:
        # Sorts and the join's hash table of a million keys fit in memory instead of spilling to disk;
        # SET LOCAL ends with the transaction. JIT compilation of this plan costs more (~3 s) than
        # it saves.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement(sharded=shards > 1), values)
        return dict(cursor.fetchall())
