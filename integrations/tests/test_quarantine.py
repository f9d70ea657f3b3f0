from dataclasses import replace
from decimal import Decimal

import pytest

from common.sources import declaration, register, registered, source_names, unregister
from conftest import build_row
from integrations.choices import QuarantineState
from integrations.core.registry import NormalizationError
from integrations.models import QuarantinedRecord, SyncRun
from integrations.services import QuarantineEntry, quarantine_discard, quarantine_records, quarantine_retry
from transactions.models import Transaction
from transactions.services import UpsertResult

pytestmark = pytest.mark.django_db


def normalize_vima(raw: dict, context: dict):
    """A stand-in for Vima's normalizer: an id, an amount and a project are required."""
    for key in ("id", "amount", "project"):
        if key not in raw:
            raise NormalizationError(f"{key} is missing")
    project = context["projects"].get(raw["project"], raw["project"])
    return build_row(source_id=str(raw["id"]), amount=Decimal(raw["amount"]), project=project, raw_data=raw)


@pytest.fixture
def vima_normalizer():
    # The Vima declaration with a stand-in normalizer, for this test only.
    with registered(replace(declaration("vima"), normalizer=lambda: (normalize_vima, {"projects": {"91G": "91game"}}))):
        yield


def _quarantine(*payloads, source="vima"):
    run = SyncRun.objects.create(source=source, started_at="2026-01-15T12:00:00Z")
    entries = [QuarantineEntry(source, str(p.get("id", "")), p, "project is missing") for p in payloads]
    assert quarantine_records(run=run, entries=entries) == len(payloads)
    return list(QuarantinedRecord.objects.order_by("source_id"))


def test_quarantine_stores_each_record_open_with_its_run():
    records = _quarantine({"id": 1, "amount": "10"}, {"id": 2, "amount": "20"})
    assert [(r.source_id, r.state, r.error, r.raw_payload) for r in records] == [
        ("1", "open", "project is missing", {"id": 1, "amount": "10"}),
        ("2", "open", "project is missing", {"id": 2, "amount": "20"}),
    ]
    assert {r.run_id for r in records} == {SyncRun.objects.get().pk}


def test_retry_stores_records_that_now_pass_and_keeps_the_rest_open(vima_normalizer):
    records = _quarantine(
        {"id": 1, "amount": "10.50", "project": "91G"},
        {"id": 2, "amount": "20", "project": "monetix"},
        {"id": 3, "amount": "30"},
        {"id": 4, "amount": "1.23456", "project": "91G"},
    )
    outcome = quarantine_retry(records=records)
    assert (outcome.resolved, outcome.still_failing) == (2, 2)
    assert outcome.upsert == UpsertResult(inserted=2, updated=0, unchanged=0)
    assert sorted(Transaction.objects.values_list("source_id", "amount", "project")) == [
        ("1", Decimal("10.5000"), "91game"),
        ("2", Decimal("20.0000"), "monetix"),
    ]
    by_id = {r.source_id: r for r in QuarantinedRecord.objects.all()}
    assert [(by_id[i].state, by_id[i].retry_error) for i in "1234"] == [
        ("resolved", ""),
        ("resolved", ""),
        ("open", "NormalizationError: project is missing"),
        ("open", "ValueError: amount 1.23456 has more than 4 decimal places"),
    ]
    assert all(r.retried_at is not None for r in by_id.values())


@pytest.fixture
def no_normalizers():
    vima = declaration("vima")
    unregister("vima")
    yield
    register(vima)


def test_retry_without_a_normalizer_changes_no_state_and_writes_nothing(no_normalizers):
    records = _quarantine({"id": 1, "amount": "10", "project": "91G"})
    outcome = quarantine_retry(records=records)
    assert (outcome.resolved, outcome.still_failing, outcome.upsert) == (0, 1, UpsertResult())
    record = QuarantinedRecord.objects.get()
    known = ", ".join(sorted(source_names() - {"vima"}))  # every other declared source, by name
    assert (record.state, record.retry_error) == ("open", f"LookupError: unknown provider 'vima'; known: {known}")
    assert Transaction.objects.count() == 0


def test_retry_ignores_records_that_are_no_longer_open(vima_normalizer):
    _quarantine({"id": 1, "amount": "10", "project": "91G"}, {"id": 2, "amount": "20", "project": "91G"})
    QuarantinedRecord.objects.filter(source_id="1").update(state=QuarantineState.DISCARDED)
    outcome = quarantine_retry(records=list(QuarantinedRecord.objects.order_by("source_id")))
    assert (outcome.resolved, outcome.still_failing) == (1, 0)
    assert list(Transaction.objects.values_list("source_id", flat=True)) == ["2"]
    assert dict(QuarantinedRecord.objects.values_list("source_id", "state")) == {"1": "discarded", "2": "resolved"}


def test_discard_touches_only_open_records():
    records = _quarantine({"id": 1}, {"id": 2}, {"id": 3})
    QuarantinedRecord.objects.filter(source_id="3").update(state=QuarantineState.RESOLVED)
    assert quarantine_discard(records=records) == 2
    assert dict(QuarantinedRecord.objects.values_list("source_id", "state")) == {
        "1": "discarded",
        "2": "discarded",
        "3": "resolved",
    }
    assert quarantine_discard(records=records) == 0
