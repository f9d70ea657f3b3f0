"""Rollups stay equal to a direct aggregate over transactions, whatever the write path does."""

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from analytics.models import TransactionRollup
from analytics.services import rollups_rebuild
from analytics.spans import span_start
from conftest import BASE_TIME, build_row
from transactions.models import Transaction
from transactions.money import from_units
from transactions.services import transactions_upsert
from transactions.slots import SLOT, slot_of

pytestmark = pytest.mark.django_db(transaction=True)

STATUSES = ("success", "failed", "pending", "processing", "refunded")


def _with(row, **changes):
    values = {name: getattr(row, name) for name in row.__dataclass_fields__}
    values.update(changes)
    return type(row)(**values)


def direct_totals() -> dict:
    """Totals per group and slot computed from the transactions themselves, in Python."""
    totals = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for t in Transaction.objects.all():
        group = totals[(slot_of(t.created_at), t.source, t.project, t.status, t.currency, t.direction)]
        group[0] += 1
        group[1] += t.amount
        group[2] += t.fee or 0
    return {group: tuple(values) for group, values in totals.items()}


def rollup_totals(span: int = 15) -> dict:
    """The rollups of one width, keyed like ``direct_totals`` (whose slots are quarter hours)."""
    return {
        (r.slot, r.source, r.project, r.status, r.currency, r.direction): (r.count, from_units(r.amount_e4),
                                                                            from_units(r.fee_e4))
        for r in TransactionRollup.objects.filter(span=span)
    }


def coarser(totals: dict, span: int) -> dict:
    """Quarter-hour totals added up into hours or days."""
    summed = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for (slot, *group), values in totals.items():
        row = summed[(span_start(slot, span), *group)]
        for i, value in enumerate(values):
            row[i] += value
    return {key: tuple(values) for key, values in summed.items()}


def test_random_inserts_and_updates_keep_rollups_equal_to_the_transactions():
    rng = random.Random(7)
    stored = {}
    for round_ in range(6):
        batch = []
        for row in rng.sample(list(stored.values()), min(len(stored), 40)):  # updates of what exists
            batch.append(_with(
                row,
                status=rng.choice(STATUSES),
                amount=Decimal(rng.randint(100, 5_000_000)) / 100,
                fee=rng.choice([None, Decimal("1.25"), Decimal("0.0001")]),
                created_at=row.created_at + timedelta(minutes=rng.randint(-90, 90)),
                project=rng.choice(["91game", "monetix"]),
                updated_at=row.updated_at + timedelta(hours=round_ + 1),
            ))
        for _ in range(60):  # new rows across a few hours, currencies and directions
            batch.append(build_row(
                status=rng.choice(STATUSES), amount=Decimal(rng.randint(1, 9_999_999)) / 10_000,
                currency=rng.choice(["INR", "USD"]), direction=rng.choice(["payin", "payout"]),
                created_at=BASE_TIME + timedelta(seconds=rng.randint(0, 6 * 3600)),
                fee=rng.choice([None, Decimal("2.5")]),
            ))
        transactions_upsert(rows=batch)
        stored.update({row.key: row for row in batch})
        expected = direct_totals()
        assert rollup_totals() == expected
        assert rollup_totals(60) == coarser(expected, 60)
        assert rollup_totals(1440) == coarser(expected, 1440)
    assert Transaction.objects.count() == 360


def test_a_status_change_moves_the_row_between_groups():
    row = build_row(status="pending", amount=Decimal("100.50"))
    transactions_upsert(rows=[row])
    transactions_upsert(rows=[_with(row, status="success", updated_at=row.updated_at + timedelta(minutes=1))])
    groups = {(r.span, r.status, r.count, r.amount_e4) for r in TransactionRollup.objects.all()}
    # the emptied pending rows are gone at every width
    assert groups == {(15, "success", 1, 1_005_000), (60, "success", 1, 1_005_000), (1440, "success", 1, 1_005_000)}


def test_rewrites_that_leave_totals_alone_change_no_rollup():
    row = build_row()
    transactions_upsert(rows=[row])
    before = rollup_totals()
    transactions_upsert(rows=[_with(row, user_email="new@example.com", updated_at=row.updated_at + SLOT)])
    assert rollup_totals() == before


def test_rollups_roll_back_with_the_rows():
    transactions_upsert(rows=[build_row()])
    with pytest.raises(RuntimeError), transaction.atomic():
        transactions_upsert(rows=[build_row(), build_row()])
        raise RuntimeError("the caller failed after the upsert")
    assert sum(r.count for r in TransactionRollup.objects.filter(span=15)) == 1 == Transaction.objects.count()


def test_rebuild_finds_nothing_when_exact_and_repairs_a_drift():
    transactions_upsert(rows=[build_row(created_at=BASE_TIME + timedelta(minutes=m)) for m in range(0, 120, 7)])
    day = span_start(BASE_TIME, 1440)
    assert rollups_rebuild(start=day, end=day + timedelta(days=1), apply=False).differences == []

    TransactionRollup.objects.filter(span=15, slot=slot_of(BASE_TIME)).update(count=99)
    TransactionRollup.objects.create(span=60, slot=slot_of(BASE_TIME) + 20 * SLOT, source="vima", project="x",
                                     status="failed", currency="INR", direction="payin", count=1, amount_e4=1, fee_e4=0)
    checked = rollups_rebuild(start=day, end=day + timedelta(days=1))
    assert [(d.key[:2], d.stored[0], d.actual[0]) for d in checked.differences] == [
        ((15, slot_of(BASE_TIME)), 99, 3), ((60, slot_of(BASE_TIME) + 20 * SLOT), 1, 0)]
    assert checked.applied
    assert rollup_totals() == direct_totals()
    assert rollup_totals(60) == coarser(direct_totals(), 60)


def test_rebuild_takes_whole_days_only():
    with pytest.raises(ValueError, match="whole UTC days"):
        rollups_rebuild(start=slot_of(BASE_TIME), end=slot_of(BASE_TIME) + SLOT)
