"""Vima end to end over loopback: sandbox → client → normalizer → write path → database."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum

from common.tests.locking import held_elsewhere
from integrations.choices import QuarantineState, RunStatus
from integrations.core.errors import SyncAlreadyRunning
from integrations.core.runner import sync_run
from integrations.models import QuarantinedRecord, SyncState
from integrations.sandbox.faults import Faults
from integrations.sandbox.truth import vima_truth
from integrations.vima.sync import VimaSource
from integrations.vima.tests.conftest import at
from transactions.models import Transaction

pytestmark = pytest.mark.django_db


def _sync(settings, **kwargs):
    return sync_run(source=VimaSource(settings), trigger="command", **kwargs)


def _stored_totals():
    rows = Transaction.objects.filter(source="vima")
    amounts = rows.values("currency").annotate(total=Sum("amount")).order_by("currency")
    return {
        "total": rows.count(),
        "by_project": dict(sorted(Counter(rows.values_list("project", flat=True)).items())),
        "by_status": dict(sorted(Counter(rows.values_list("status", flat=True)).items())),
        "amount_by_currency": {a["currency"]: str(a["total"].quantize(Decimal("0.01"))) for a in amounts},
    }


def _truth(world, clock, malformed=0.0):
    truth = vima_truth(world, now=clock.now(), malformed_rate=malformed)
    truth.pop("quarantined")
    return truth


def test_full_sync_stores_exactly_the_ground_truth_and_a_second_sync_writes_nothing(world, clock, start_vima):
    settings = start_vima()
    first = _sync(settings)
    assert first.status == RunStatus.SUCCEEDED, first.error
    assert _stored_totals() == _truth(world, clock)
    assert (first.inserted, first.updated, first.quarantined) == (_truth(world, clock)["total"], 0, 0)
    assert first.pages == first.fetched // 100 + 1
    second = _sync(settings)
    assert (second.status, second.inserted, second.updated) == (RunStatus.SUCCEEDED, 0, 0)
    assert set(SyncState.objects.values_list("stream", flat=True)) == {"create", "update"}


def test_the_update_stream_brings_exactly_the_changes(world, clock, start_vima):
    clock.set(at(world, 30))
    settings = start_vima()
    _sync(settings)
    created_before, changed_before = world.created_before(clock.now()), world.changes_before(clock.now())
    clock.set(at(world, 60))
    later = _sync(settings)
    new = sum(world.payment(i).on_vima for i in range(created_before, world.created_before(clock.now())))
    _, change_indexes = world.changes()
    changed = sum(
        world.payment(i).on_vima and i < created_before
        for i in change_indexes[changed_before:world.changes_before(clock.now())]
    )
    assert (later.inserted, later.updated) == (new, changed)
    assert _stored_totals() == _truth(world, clock)


def test_faults_do_not_change_the_result(world, clock, start_vima):
    faults = Faults(error_5xx=0.10, drop_connection=0.05, rate_limit_429=0.03, retry_after_s=0)
    run = _sync(start_vima(faults=faults))
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert _stored_totals() == _truth(world, clock)


def test_a_run_stopped_part_way_resumes_without_loss_or_duplicates(world, clock, start_vima):
    settings = start_vima()
    partial = _sync(settings, max_pages=3)
    assert partial.pages == 3 and 0 < Transaction.objects.count() < _truth(world, clock)["total"]
    rest = _sync(settings)
    assert rest.status == RunStatus.SUCCEEDED
    assert _stored_totals() == _truth(world, clock)
    assert partial.inserted + rest.inserted == _truth(world, clock)["total"]


def test_malformed_records_are_quarantined_and_counted(world, clock, start_vima):
    run = _sync(start_vima(malformed=0.02))
    expected = vima_truth(world, now=clock.now(), malformed_rate=0.02)["quarantined"]
    assert expected > 0
    assert run.quarantined == expected
    assert QuarantinedRecord.objects.filter(run=run, state=QuarantineState.OPEN).count() == expected
    assert _stored_totals() == _truth(world, clock, malformed=0.02)


def test_wrong_credentials_fail_the_run_with_a_clear_message_and_no_rows(start_vima):
    run = _sync(start_vima(api_key="wrong"))
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("vima answered HTTP 401 to GET /operation: ")
    assert "invalid api key" in run.error
    assert Transaction.objects.count() == 0


def test_a_second_trigger_is_told_a_run_is_going_on(start_vima):
    with held_elsewhere("sync:vima"), pytest.raises(SyncAlreadyRunning):
        _sync(start_vima())
    assert Transaction.objects.count() == 0
