from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

from conftest import build_row
from transactions.models import Transaction
from transactions.services import InvalidRowsError, UpsertResult, transactions_upsert
from transactions.signals import transactions_changed
from transactions.slots import slot_of

pytestmark = pytest.mark.django_db


def _batch(n, **overrides):
    return [build_row(**overrides) for _ in range(n)]


def _with(row, **changes):
    values = {name: getattr(row, name) for name in row.__dataclass_fields__}
    values.update(changes)
    return type(row)(**values)


def test_first_batch_inserts_every_row():
    rows = _batch(5)
    assert transactions_upsert(rows=rows) == UpsertResult(inserted=5, updated=0, unchanged=0)
    stored = Transaction.objects.get(source="vima", source_id=rows[0].source_id)
    assert stored.amount == Decimal("1500.0000")
    assert stored.data_hash == rows[0].data_hash
    assert stored.raw_data == rows[0].raw_data
    assert stored.created_at == rows[0].created_at


def test_replayed_batch_is_unchanged():
    rows = _batch(4)
    transactions_upsert(rows=rows)
    assert transactions_upsert(rows=rows) == UpsertResult(inserted=0, updated=0, unchanged=4)
    assert Transaction.objects.count() == 4


def test_overlapping_batch_counts_each_kind_exactly():
    first = _batch(6)
    transactions_upsert(rows=first)
    later = first[0].updated_at + timedelta(hours=1)
    changed = [_with(r, status="failed", updated_at=later) for r in first[:2]]
    overlap = [*changed, *first[2:4], *_batch(3)]
    assert transactions_upsert(rows=overlap) == UpsertResult(inserted=3, updated=2, unchanged=2)
    assert Transaction.objects.count() == 9
    assert set(Transaction.objects.filter(status="failed").values_list("source_id", flat=True)) == {
        r.source_id for r in changed
    }


def test_unchanged_rows_are_not_rewritten():
    row = build_row(raw_data={"version": 1})
    transactions_upsert(rows=[row])
    before = Transaction.objects.values("ingested_at", "raw_data").get()
    xmin_before = _xmin(row.source_id)
    result = transactions_upsert(rows=[_with(row, raw_data={"version": 2}, source_update_cursor="77")])
    assert result == UpsertResult(inserted=0, updated=0, unchanged=1)
    # raw_data and the cursor are outside the hash: had the row been rewritten they would show version 2.
    assert Transaction.objects.values("ingested_at", "raw_data").get() == before
    assert Transaction.objects.get().source_update_cursor == ""
    assert _xmin(row.source_id) == xmin_before


def _xmin(source_id):
    """PostgreSQL's row version; a rewrite changes it. None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM transactions_transaction WHERE source_id = %s", [source_id])
        return cursor.fetchone()[0]


def test_changed_row_is_rewritten_whole_and_keeps_identity():
    row = build_row()
    transactions_upsert(rows=[row])
    original = Transaction.objects.get()
    newer = _with(row, amount=Decimal("1499.50"), status="refunded", updated_at=row.updated_at + timedelta(minutes=5),
                  raw_data={"v": 2})
    assert transactions_upsert(rows=[newer]) == UpsertResult(inserted=0, updated=1, unchanged=0)
    stored = Transaction.objects.get()
    assert (stored.id, stored.ingested_at) == (original.id, original.ingested_at)
    assert (stored.amount, stored.status, stored.raw_data) == (Decimal("1499.5000"), "refunded", {"v": 2})
    assert stored.data_hash == newer.data_hash


def test_an_older_version_never_overwrites_a_newer_one():
    row = build_row(status="success")
    newer = _with(row, status="refunded", updated_at=row.updated_at + timedelta(hours=2))
    transactions_upsert(rows=[newer])
    assert transactions_upsert(rows=[row]) == UpsertResult(inserted=0, updated=0, unchanged=1)
    assert Transaction.objects.get().status == "refunded"


def test_same_key_twice_in_a_batch_keeps_the_last_and_counts_every_row():
    row = build_row()
    last = _with(row, status="failed")
    assert transactions_upsert(rows=[row, last]) == UpsertResult(inserted=1, updated=0, unchanged=1)
    assert Transaction.objects.get().status == "failed"


def test_bad_batch_writes_nothing_and_names_each_bad_row():
    good = _batch(3)
    bad_amount = build_row(source_id="bad-amount", amount="12.x")
    no_id = build_row(source_id="")
    from datetime import datetime

    naive = build_row(source_id="naive", created_at=datetime(2026, 1, 1, 10, 0))
    with pytest.raises(InvalidRowsError) as caught:
        transactions_upsert(rows=[good[0], bad_amount, good[1], no_id, naive, good[2]])
    error = caught.value
    assert Transaction.objects.count() == 0
    assert error.code == "VALIDATION_ERROR"
    assert [(r["index"], r["source_id"]) for r in error.details["rows"]] == [(1, "bad-amount"), (3, ""), (4, "naive")]
    assert error.details["rows"][0]["problems"] == ["amount must be a Decimal, got str '12.x'"]
    assert error.message.startswith("3 of 6 rows are invalid, nothing was written: row 1 (vima:bad-amount)")


def test_change_is_announced_after_commit_with_what_changed(django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, change, **kwargs):
        received.append(change)

    transactions_changed.connect(receiver)
    try:
        rows = [build_row(project="91game"), build_row(project="monetix"), build_row(source="payshack", project="")]
        with django_capture_on_commit_callbacks(execute=True):
            transactions_upsert(rows=rows)
        with django_capture_on_commit_callbacks(execute=True) as unchanged_callbacks:
            transactions_upsert(rows=rows)
    finally:
        transactions_changed.disconnect(receiver)
    assert len(received) == 1
    change = received[0]
    assert change.sources == {"vima", "payshack"}
    assert change.projects == {"91game", "monetix", ""}
    assert change.slots == {slot_of(row.created_at) for row in rows}
    assert (change.inserted, change.updated) == (3, 0)
    assert unchanged_callbacks == []


def test_nothing_is_announced_when_the_outer_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                transactions_upsert(rows=_batch(2))
                raise RuntimeError("the caller failed after the upsert")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Transaction.objects.count() == 0


def test_query_count_does_not_grow_with_the_batch():
    from django.test.utils import CaptureQueriesContext

    transactions_upsert(rows=_batch(1))
    counted = []
    for size in (5, 500):
        with CaptureQueriesContext(connection) as queries:
            transactions_upsert(rows=_batch(size))
        counted.append(len(queries))
    # PostgreSQL: write lock, staging (create, truncate, COPY), planner settings twice, old totals, upsert,
    # the rollups' upsert and clean-up, savepoint handling. SQLite has no lock or settings but fills staging.
    assert counted[0] == counted[1] <= 12
    assert Transaction.objects.count() == 506


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL writer makes the ids in SQL")
def test_new_rows_get_time_ordered_uuid7_ids_on_postgresql():
    from django.utils import timezone

    before = int(timezone.now().timestamp() * 1000)
    transactions_upsert(rows=_batch(50))
    after = int(timezone.now().timestamp() * 1000)
    ids = list(Transaction.objects.values_list("id", flat=True))
    assert {pk.version for pk in ids} == {7} and {pk.variant for pk in ids} == {"specified in RFC 4122"}
    assert all(before <= int.from_bytes(pk.bytes[:6], "big") <= after for pk in ids)
    assert len(set(ids)) == 50
