"""Writes of the transactions app. ``transactions_upsert`` is the only code that writes transactions."""

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from common.errors import ApplicationError, ErrorCode
from common.sinks import SinkResult
from transactions.rows import NormalizedTransaction, row_problems
from transactions.signals import TransactionsChanged, transactions_changed, transactions_written
from transactions.writers import WriteOutcome, writer_for
from transactions.writers.columns import staged_key, staged_values

logger = logging.getLogger(__name__)

# How many bad rows an error spells out; the count always covers all of them.
MAX_ROWS_NAMED = 50


# What one upsert did with each row it was given: inserted + updated + unchanged == rows given. ``unchanged``
# rows wrote nothing: their business data was the same as stored, they were older than what is stored (by
# the provider's ``updated_at``), or a later row in the same batch had the same key.
UpsertResult = SinkResult


class InvalidRowsError(ApplicationError):
    """A batch held rows that cannot be stored; nothing of it was written. ``details["rows"]`` names them."""

    default_code = ErrorCode.VALIDATION_ERROR


def transactions_upsert(*, rows: Iterable[NormalizedTransaction]) -> UpsertResult:
    """Insert new rows, rewrite changed ones, leave the rest untouched, in one transaction.

    Raises ``InvalidRowsError`` naming every bad row (and writes nothing) if any row is invalid.
    When rows were written, ``transactions_written`` is sent inside the transaction with the exact
    change of totals per slot (rollups follow it there), and ``transactions_changed`` after commit.
    """
    rows = list(rows)
    if not rows:
        return UpsertResult()
    _raise_for_invalid_rows(rows)
    return transactions_write_staged(staged=[staged_values(row) for row in rows])


def transactions_write_staged(*, staged: list[tuple]) -> UpsertResult:
    """``transactions_upsert`` of rows already checked and staged (``staged_values``): the sync's writer
    gets them so from its reader process (``transactions.sinks``), with nothing left to check or encode."""
    if not staged:
        return UpsertResult()
    unique = list({staged_key(values): values for values in staged}.values())  # the last row of a key wins
    write = writer_for(connection.vendor)
    with transaction.atomic():
        outcome = write(unique, now=timezone.now())
        if outcome.deltas:
            transactions_written.send(sender=TransactionsChanged, deltas=outcome.deltas)
        if outcome.inserted or outcome.updated:
            change = _change_of(outcome)
            transaction.on_commit(lambda: _announce(change), robust=True)
    return UpsertResult(outcome.inserted, outcome.updated, len(staged) - outcome.inserted - outcome.updated)


def _raise_for_invalid_rows(rows: list[NormalizedTransaction]) -> None:
    bad = []
    for index, row in enumerate(rows):
        problems = row_problems(row)
        if problems:
            bad.append({"index": index, "source": row.source, "source_id": row.source_id, "problems": problems})
    if not bad:
        return
    named = "; ".join(f"row {b['index']} ({b['source']}:{b['source_id']}): {', '.join(b['problems'])}" for b in bad[:3])
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    raise InvalidRowsError(
        f"{len(bad)} of {len(rows)} rows are invalid, nothing was written: {named}{more}",
        details={"invalid": len(bad), "total": len(rows), "rows": bad[:MAX_ROWS_NAMED]},
    )


def _change_of(outcome: WriteOutcome) -> TransactionsChanged:
    return TransactionsChanged(
        sources=frozenset(source for source, _, _ in outcome.touched),
        projects=frozenset(project for _, project, _ in outcome.touched),
        slots=frozenset(slot for _, _, slot in outcome.touched),
        inserted=outcome.inserted,
        updated=outcome.updated,
    )


def _announce(change: TransactionsChanged) -> None:
    for receiver, response in transactions_changed.send_robust(sender=TransactionsChanged, change=change):
        if isinstance(response, Exception):
            logger.error("transactions_changed receiver %r failed", receiver, exc_info=response)


def transactions_lock_writes(*, sources: Iterable[str]) -> None:
    """Keep every other writer of these sources waiting until the caller's transaction ends.

    For work that must see the table hold still, such as rebuilding rollups. The write path takes
    the same lock per batch. On SQLite the one-writer rule (IMMEDIATE transactions) already does it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transactions_lock_writes needs a transaction to hold the lock for")
    if connection.vendor == "postgresql":
        from transactions.writers.postgres import lock_sources

        with connection.cursor() as cursor:
            lock_sources(cursor, sources)
