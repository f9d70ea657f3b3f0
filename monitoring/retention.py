"""Retention of operational rows: closed alert incidents, task failures and sync runs older than a number of days,
and the prepared files (exports, PDF reports written for a request) after a shorter period of their own.

These tables grow with every run and every failure, forever; after the retention period nobody
reads their rows one by one any more, and what they add up to stays on /metrics (``PrunedTotal``).
Business history is never touched here: transactions, reconciliation runs and results, their
review audit, quarantined records and balance snapshots are kept, and so are the sync runs those
last two point to.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from common.locks import RETENTION_LOCK, LockBusy, job_lock
from common.models import PreparedFile
from integrations.choices import RunStatus
from integrations.models import BalanceSnapshot, QuarantinedRecord, SyncEvidence, SyncRun
from monitoring.counters import Samples, sync_samples, task_failure_samples
from monitoring.models import AlertIncident, PrunedTotal, TaskFailure

logger = logging.getLogger(__name__)

# Rows deleted per transaction: each batch holds SQLite's single write lock (or PostgreSQL's row
# locks) for a few milliseconds, so syncs writing meanwhile barely wait, and a first pass over a
# year of history is a few hundred short transactions rather than one long one.
BATCH_SIZE = 2_000
# Renewed after every batch (milliseconds each), so a live pruner never loses it; a dead one frees it this soon.
LEASE_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class PruneOutcome:
    """How many rows of each kind were deleted (evidence files with their sync runs)."""

    incidents: int = 0
    task_failures: int = 0
    sync_runs: int = 0
    evidence_files: int = 0
    prepared_files: int = 0
    skipped: bool = False  # another process was pruning: this call did nothing


def operations_prune(*, now: datetime, days: int, prepared_file_days: int = 0) -> PruneOutcome:
    """Delete closed incidents, task failures and finished sync runs older than ``days`` (0: keep everything),
    and prepared files asked for more than ``prepared_file_days`` ago, with their files (0: keep them).

    An open incident is never deleted, however old. A sync run is kept when a quarantined record
    or a balance snapshot refers to it, and so is each provider's latest run and latest successful
    run (the dashboard, the silence alert and ``hub_sync_last_success_timestamp_seconds`` read them).
    Safe to run twice at once: the second call finds the lease taken and does nothing.
    """
    if days <= 0 and prepared_file_days <= 0:
        return PruneOutcome()
    cutoff = now - timedelta(days=days)
    incidents = failures = runs = files = prepared = 0
    try:
        with job_lock(RETENTION_LOCK, ttl=LEASE_TTL) as lock:
            renew = lock.renew
            if days > 0:
                incidents = _prune(AlertIncident.objects.filter(closed_at__lt=cutoff), after_batch=renew)
                failures = _prune(TaskFailure.objects.filter(failed_at__lt=cutoff), samples=task_failure_samples,
                                  after_batch=renew)
                runs, files = _prune_sync_runs(cutoff, after_batch=renew)
            if prepared_file_days > 0:
                prepared = _prune_prepared_files(now - timedelta(days=prepared_file_days), after_batch=renew)
    except LockBusy:
        logger.info("retention skipped: another process is pruning")
        return PruneOutcome(skipped=True)
    outcome = PruneOutcome(incidents=incidents, task_failures=failures, sync_runs=runs, evidence_files=files,
                           prepared_files=prepared)
    logger.info("retention (%s days, before %s): %s", days, cutoff.isoformat(), outcome)
    return outcome


def _prune(rows: QuerySet, *, after_batch, samples=None) -> int:
    """Delete ``rows`` in batches; ``samples(batch)`` gives what they counted on /metrics, kept in PrunedTotal."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(rows.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
            if not ids:
                return deleted
            batch = rows.model.objects.filter(pk__in=ids)
            if samples is not None:
                _carry(samples(batch))
            _, per_model = batch.delete()
        deleted += per_model.get(rows.model._meta.label, 0)
        after_batch()


def _prune_sync_runs(cutoff: datetime, *, after_batch) -> tuple[int, int]:
    """Delete old finished sync runs with their evidence rows; the evidence files go once the rows are gone."""
    files: list[str] = []

    def samples_and_files(batch: QuerySet) -> Samples:
        names = list(SyncEvidence.objects.filter(run__in=batch).values_list("file", flat=True))
        files.extend(names)
        transaction.on_commit(lambda: _delete_files(names))  # file I/O after the commit, never inside it
        return sync_samples(batch)

    runs = _prune(_prunable_runs(cutoff), samples=samples_and_files, after_batch=after_batch)
    return runs, len(files)


def _prune_prepared_files(cutoff: datetime, *, after_batch) -> int:
    """Delete prepared files asked for before ``cutoff``, whatever their state; the files go after each commit.

    Asking again later makes a new one (its key is free again): an export or a report is written for the
    request, not kept as a record.
    """
    def files_of(batch: QuerySet) -> Samples:
        names = [name for name in batch.values_list("file", flat=True) if name]
        transaction.on_commit(lambda: _delete_files(names, storage=PreparedFile._meta.get_field("file").storage))
        return {}

    return _prune(PreparedFile.objects.filter(created_at__lt=cutoff), samples=files_of, after_batch=after_batch)


def _prunable_runs(cutoff: datetime) -> QuerySet:
    return (SyncRun.objects.filter(finished_at__lt=cutoff).exclude(pk__in=_newest_runs())
            .exclude(Exists(QuarantinedRecord.objects.filter(run=OuterRef("pk"))))
            .exclude(Exists(BalanceSnapshot.objects.filter(run=OuterRef("pk")))))


def _newest_runs() -> set[int]:
    """Each provider and kind's latest run and latest successful run, as the sync status and /metrics find them."""
    keep = set()
    for source, kind in SyncRun.objects.values_list("source", "kind").distinct().order_by():  # a handful of pairs
        runs = SyncRun.objects.filter(source=source, kind=kind)
        for newest in (runs.order_by("-started_at", "-pk"),
                       runs.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at", "-pk")):
            keep.update(newest.values_list("pk", flat=True)[:1])
    return keep


def _carry(samples: Samples) -> None:
    """Add ``samples`` to PrunedTotal: one read and one upsert for the whole batch (a few dozen keys)."""
    if not samples:
        return
    keys = {(series, json.dumps(list(labels))): value for (series, labels), value in samples.items()}
    stored = {(row.series, row.labels): row.value
              for row in PrunedTotal.objects.filter(series__in={series for series, _ in keys})}
    PrunedTotal.objects.bulk_create(
        [PrunedTotal(series=series, labels=labels, value=stored.get((series, labels), 0) + value)
         for (series, labels), value in keys.items()],
        update_conflicts=True, unique_fields=["series", "labels"], update_fields=["value"],
    )


def _delete_files(names: list[str], *, storage=None) -> None:
    storage = storage or SyncEvidence._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError as exc:  # a file already gone or unreadable: the row is what mattered
            logger.warning("file %s not deleted: %s", name, exc)
