"""Retention of operational rows: what goes, what stays, and /metrics counters that never go down."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from common.models import Lease, PreparedFile
from common.services import schedules_apply
from common.tests.locking import held_elsewhere
from integrations.models import BalanceSnapshot, ProviderAccount, QuarantinedRecord, SyncEvidence, SyncRun
from integrations.services import sync_evidence_store
from monitoring import retention
from monitoring.models import AlertIncident, PrunedTotal, TaskFailure
from monitoring.retention import PruneOutcome, operations_prune
from monitoring.tasks import prune_operations
from monitoring.tests.conftest import sample

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 3, 45, tzinfo=UTC)
DAYS = 90
OLD = NOW - timedelta(days=DAYS, hours=1)  # just past the retention period
RECENT = NOW - timedelta(days=DAYS - 1)


def incident(subject: str, *, opened: datetime, closed: datetime | None) -> AlertIncident:
    return AlertIncident.objects.create(kind="sync_failed", subject=subject, summary="boom", opened_at=opened,
                                        last_seen_at=closed or opened, closed_at=closed)


def failure(task: str, at: datetime) -> TaskFailure:
    return TaskFailure.objects.create(task_name=task, task_id="t", exception="RuntimeError: boom", failed_at=at)


def run(source: str = "vima", *, at: datetime, status: str = "succeeded", kind: str = "transactions",
        seconds: int = 40, **counts) -> SyncRun:
    return SyncRun.objects.create(source=source, kind=kind, status=status, started_at=at,
                                  finished_at=None if status == "running" else at + timedelta(seconds=seconds),
                                  **counts)


def counters(scrape) -> dict:
    """Every sample of the counters kept from rows: sync runs, rows, durations and task failures."""
    names = ("hub_sync_runs_total", "hub_sync_rows_total", "hub_sync_duration_seconds_bucket",
             "hub_sync_duration_seconds_count", "hub_sync_duration_seconds_sum", "hub_celery_task_failures_total")
    return {key: value for key, value in scrape().items() if key[0] in names}


def test_closed_incidents_past_the_period_go_and_open_ones_stay_however_old():
    incident("vima", opened=OLD - timedelta(days=400), closed=None)  # open for more than a year
    incident("payshack", opened=OLD - timedelta(days=1), closed=OLD)
    kept = incident("payshack", opened=OLD, closed=RECENT)

    assert operations_prune(now=NOW, days=DAYS) == PruneOutcome(incidents=1)
    assert set(AlertIncident.objects.values_list("subject", "closed_at")) == {("vima", None),
                                                                              ("payshack", kept.closed_at)}


def test_task_failures_past_the_period_go_and_their_counter_stays(scrape):
    for at in (OLD - timedelta(days=30), OLD, RECENT):
        failure("integrations.sync_provider", at)
    failure("reconciliation.render_report", OLD)
    before = counters(scrape)

    assert operations_prune(now=NOW, days=DAYS) == PruneOutcome(task_failures=3)
    assert list(TaskFailure.objects.values_list("task_name", "failed_at")) == [
        ("integrations.sync_provider", RECENT)]
    assert counters(scrape) == before
    assert sample(before, "hub_celery_task_failures_total", task="integrations.sync_provider") == 3
    failure("integrations.sync_provider", NOW)  # the counter goes on from where it stood
    assert sample(counters(scrape), "hub_celery_task_failures_total", task="integrations.sync_provider") == 4


def test_old_sync_runs_go_with_their_evidence_and_the_sync_counters_stay(scrape, settings, tmp_path,
                                                                           django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    pruned = [run(at=OLD - timedelta(days=2), fetched=100, inserted=90, updated=5, unchanged=5),
              run(at=OLD - timedelta(days=1), status="failed", seconds=700, error="upstream 503"),
              run("payshack", at=OLD, seconds=3, fetched=7, inserted=7)]
    evidence = sync_evidence_store(run=pruned[1], files={"page.html": b"<html>", "screenshot.png": b"png"})
    files = [Path(settings.MEDIA_ROOT) / item.file.name for item in evidence]
    assert all(path.exists() for path in files)
    quarantined = run(at=OLD - timedelta(days=3), quarantined=1)
    QuarantinedRecord.objects.create(run=quarantined, source="vima", raw_payload={"id": 1}, error="bad amount")
    metadata = run("payshack", kind="metadata", at=OLD - timedelta(days=3))
    account = ProviderAccount.objects.create(source="payshack", kind="client", external_id="c1", name="91G",
                                             refreshed_at=OLD)
    BalanceSnapshot.objects.create(account=account, run=metadata, balance=Decimal("1250.5000"), currency="INR",
                                   taken_at=OLD)
    stuck = run(at=OLD - timedelta(days=5), status="running")
    recent = [run(at=RECENT, fetched=3, inserted=3), run("payshack", at=RECENT)]
    before = counters(scrape)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = operations_prune(now=NOW, days=DAYS)

    assert outcome == PruneOutcome(sync_runs=3, evidence_files=2)
    assert set(SyncRun.objects.values_list("pk", flat=True)) == {quarantined.pk, metadata.pk, stuck.pk,
                                                                 *(item.pk for item in recent)}
    assert SyncEvidence.objects.count() == 0
    assert not any(path.exists() for path in files)
    assert counters(scrape) == before
    vima = {"provider": "vima", "kind": "transactions"}
    assert sample(before, "hub_sync_runs_total", status="succeeded", **vima) == 3
    assert sample(before, "hub_sync_rows_total", outcome="inserted", **vima) == 93
    assert sample(before, "hub_sync_duration_seconds_bucket", le="600.0", status="failed", **vima) == 0
    assert sample(before, "hub_sync_duration_seconds_bucket", le="1200.0", status="failed", **vima) == 1
    assert sample(before, "hub_sync_duration_seconds_sum", status="failed", **vima) == 700


def test_each_providers_latest_run_and_latest_success_stay_however_old(scrape):
    success = run(at=OLD - timedelta(days=10))
    latest = run(at=OLD - timedelta(days=9), status="failed")
    older = run(at=OLD - timedelta(days=20))
    last_success = sample(scrape(), "hub_sync_last_success_timestamp_seconds", provider="vima", kind="transactions")

    assert operations_prune(now=NOW, days=DAYS) == PruneOutcome(sync_runs=1)
    assert not SyncRun.objects.filter(pk=older.pk).exists()
    assert set(SyncRun.objects.values_list("pk", flat=True)) == {success.pk, latest.pk}
    assert last_success == success.finished_at.timestamp()
    assert sample(scrape(), "hub_sync_last_success_timestamp_seconds", provider="vima",
                  kind="transactions") == last_success


def test_many_batches_add_up_and_a_second_pass_changes_nothing(scrape, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    for i in range(7):
        run(at=OLD - timedelta(days=30, minutes=i), status="failed" if i % 3 else "succeeded", seconds=10 * i,
            fetched=i, inserted=i)
        failure("monitoring.alerts_check", OLD - timedelta(minutes=i))
    run(at=RECENT)
    before = counters(scrape)

    assert operations_prune(now=NOW, days=DAYS) == PruneOutcome(task_failures=7, sync_runs=7)
    assert counters(scrape) == before
    carried = PrunedTotal.objects.get(series="hub_celery_task_failures", labels='["monitoring.alerts_check"]')
    assert carried.value == 7
    assert operations_prune(now=NOW, days=DAYS) == PruneOutcome()
    assert counters(scrape) == before


def test_prepared_files_go_after_their_own_period_with_their_files(
        settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    old, recent = (_prepared_file(key, asked=at) for key, at in (("old", NOW - timedelta(days=8)),
                                                                  ("recent", NOW - timedelta(days=6))))
    old_path, recent_path = Path(old.file.path), Path(recent.file.path)
    failure("common.heartbeat", OLD)  # the operations' own period is not the files'

    with django_capture_on_commit_callbacks(execute=True):
        outcome = operations_prune(now=NOW, days=0, prepared_file_days=7)
    assert outcome == PruneOutcome(prepared_files=1)
    assert list(PreparedFile.objects.values_list("key", flat=True)) == ["recent"]
    assert (old_path.exists(), recent_path.exists()) == (False, True)
    assert TaskFailure.objects.count() == 1


def _prepared_file(key: str, *, asked: datetime) -> PreparedFile:
    prepared = PreparedFile.objects.create(renderer="x.y", key=key, status=PreparedFile.Status.READY)
    prepared.file.save(f"{key}.csv", ContentFile(b"a,b\n1,2\n"))
    PreparedFile.objects.filter(pk=prepared.pk).update(created_at=asked)  # auto_now_add: set after the fact
    return prepared


def test_zero_days_keeps_everything():
    incident("vima", opened=OLD, closed=OLD)
    failure("common.heartbeat", OLD - timedelta(days=1000))
    run(at=OLD - timedelta(days=1000))
    run(at=OLD - timedelta(days=999))

    assert operations_prune(now=NOW, days=0) == PruneOutcome()
    assert (AlertIncident.objects.count(), TaskFailure.objects.count(), SyncRun.objects.count()) == (1, 1, 2)


def test_while_another_process_prunes_nothing_is_deleted_or_carried():
    failure("common.heartbeat", OLD)
    with held_elsewhere("retention:operations"):
        assert operations_prune(now=NOW, days=DAYS) == PruneOutcome(skipped=True)
        assert TaskFailure.objects.count() == 1
        assert PrunedTotal.objects.count() == 0


def test_the_nightly_schedule_runs_the_task_with_the_configured_period(settings):
    schedules_apply()
    task = PeriodicTask.objects.select_related("crontab").get(name="prune operations")
    assert task.task == "monitoring.prune_operations"
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("45", "3", "*")
    settings.OPERATIONS_RETENTION_DAYS = 30
    failure("common.heartbeat", timezone.now() - timedelta(days=31))
    failure("common.heartbeat", timezone.now() - timedelta(days=29))

    prune_operations.apply().get()
    assert TaskFailure.objects.count() == 1
    # released: the SQLite lease row is free again (PostgreSQL's advisory lock leaves no row)
    assert not Lease.objects.filter(name="retention:operations").exclude(holder="").exists()
