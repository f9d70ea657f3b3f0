"""Writes of the analytics app: keeping rollups exact, and rebuilding them from transactions."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction

from analytics.models import TransactionRollup
from analytics.spans import Span, span_start
from common.sources import source_names
from transactions.money import from_units, to_units
from transactions.selectors import slot_totals
from transactions.services import transactions_lock_writes
from transactions.signals import SlotDelta

_TABLE = TransactionRollup._meta.db_table
# A rollup row's identity: its width and start, then the group.
_KEY = ("span", "slot", "source", "project", "status", "currency", "direction")
_COLUMNS = ", ".join((*_KEY, "count", "amount_e4", "fee_e4"))
# Adds each change to its row, creating the row when the group is new in that piece of time.
_ADD_TO_ROW = (
    f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET count = {_TABLE}.count + excluded.count, "
    f"amount_e4 = {_TABLE}.amount_e4 + excluded.amount_e4, fee_e4 = {_TABLE}.fee_e4 + excluded.fee_e4"
)
# PostgreSQL takes the rows as ten arrays (one parameter each: binding is a tenth of the cost of a
# VALUES list with ten parameters a row); SQLite takes a VALUES list.
_APPLY_POSTGRES = (
    f"INSERT INTO {_TABLE} ({_COLUMNS}) SELECT * FROM unnest(%s::smallint[], %s::timestamptz[], %s::text[], "
    f"%s::text[], %s::text[], %s::text[], %s::text[], %s::bigint[], %s::bigint[], %s::bigint[]) {_ADD_TO_ROW}"
)
_APPLY_SQLITE = f"INSERT INTO {_TABLE} ({_COLUMNS}) VALUES {{rows}} {_ADD_TO_ROW}"
# SQLite allows 32,766 parameters a statement, 10 a row; a batch rarely makes more than a few hundred.
_SQLITE_ROWS_PER_STATEMENT = 1_000

# (count, amount in ten-thousandths, fee in ten-thousandths) per rollup key
Sums = dict[tuple, list[int]]


def rollups_apply(*, deltas: list[SlotDelta]) -> None:
    """Add ``deltas`` to the rollups at every width, in the caller's transaction; rows that reach zero
    transactions are removed.

    Called by the write path (through ``transactions_written``) inside the upsert's transaction, so
    rollups and transactions commit together. Rows are written in key order, so concurrent writers
    lock them in one order.
    """
    sums = _at_every_span(((d.slot, d.source, d.project, d.status, d.currency, d.direction),
                           d.count, to_units(d.amount), to_units(d.fee)) for d in deltas)
    rows = [(*key, *values) for key, values in sorted(sums.items()) if any(values)]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_APPLY_POSTGRES, [list(column) for column in zip(*rows, strict=True)])
        else:
            _apply_in_chunks(cursor, rows)
    emptied = {key[1] for key, (count, _, _) in sums.items() if count < 0}
    if emptied:
        TransactionRollup.objects.filter(slot__in=emptied, count=0).delete()


def _at_every_span(changes: Iterable[tuple[tuple, int, int, int]]) -> Sums:
    """Each (group at a 15-minute slot, count, amount, fee) added to its quarter hour, hour and day."""
    sums: Sums = defaultdict(lambda: [0, 0, 0])
    for (slot, *group), count, amount, fee in changes:
        for span in Span.values:
            row = sums[(span, span_start(slot, span), *group)]
            row[0] += count
            row[1] += amount
            row[2] += fee
    return sums


def _apply_in_chunks(cursor, rows: list[tuple]) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    for start in range(0, len(rows), _SQLITE_ROWS_PER_STATEMENT):
        chunk = rows[start:start + _SQLITE_ROWS_PER_STATEMENT]
        params = [value for row in chunk for value in (row[0], adapt(row[1]), *row[2:])]
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        cursor.execute(_APPLY_SQLITE.format(rows=placeholders), params)


@dataclass(frozen=True)
class RollupDifference:
    """One rollup row where the stored totals and the transactions disagree."""

    key: tuple  # (span, slot, source, project, status, currency, direction)
    stored: tuple[int, Decimal, Decimal]  # count, amount, fee
    actual: tuple[int, Decimal, Decimal]


@dataclass(frozen=True)
class RebuildOutcome:
    rows: int  # rollup rows the transactions of the range make, at every width
    differences: list[RollupDifference]
    applied: bool


def rollups_rebuild(*, start: datetime, end: datetime, apply: bool = True) -> RebuildOutcome:
    """Recompute the rollups of [start, end) from transactions, report every difference, and (with
    ``apply``) replace the stored ones. Writers wait meanwhile, so the comparison is exact.

    ``start`` and ``end`` must be UTC midnights: a day's row sums the whole day.
    """
    if span_start(start, Span.DAY) != start or span_start(end, Span.DAY) != end:
        raise ValueError(f"rollups are rebuilt by whole UTC days; [{start}, {end}) is not")
    with transaction.atomic():
        transactions_lock_writes(sources=sorted(source_names(sink="transactions")))
        actual = _actual_rows(start, end)
        stored_rows = TransactionRollup.objects.filter(slot__gte=start, slot__lt=end)
        stored = {tuple(getattr(row, name) for name in _KEY): (row.count, row.amount_e4, row.fee_e4)
                  for row in stored_rows}
        differences = [
            RollupDifference(key, _readable(stored.get(key)), _readable(actual.get(key)))
            for key in sorted(stored.keys() | actual.keys())
            if stored.get(key, _NOTHING) != actual.get(key, _NOTHING)
        ]
        if apply and differences:
            stored_rows.delete()
            TransactionRollup.objects.bulk_create(
                (TransactionRollup(**dict(zip(_KEY, key, strict=True)), count=count, amount_e4=amount, fee_e4=fee)
                 for key, (count, amount, fee) in actual.items()),
                batch_size=2_000,
            )
    return RebuildOutcome(rows=len(actual), differences=differences, applied=apply and bool(differences))


def _actual_rows(start: datetime, end: datetime) -> dict[tuple, tuple[int, int, int]]:
    sums = _at_every_span(
        ((slot, source, project, status, currency, direction), count, to_units(Decimal(amount)),
         to_units(Decimal(fee)))
        for source, project, status, currency, direction, slot, count, amount, fee in slot_totals(start=start, end=end)
    )
    return {key: tuple(values) for key, values in sums.items() if values[0]}


def _readable(values: tuple[int, int, int] | None) -> tuple[int, Decimal, Decimal]:
    count, amount, fee = values or _NOTHING
    return count, from_units(amount), from_units(fee)


_NOTHING = (0, 0, 0)
