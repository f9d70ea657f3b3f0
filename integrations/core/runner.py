"""The sync runner: every provider's run goes through here.

It owns what sources must not: the one-run-at-a-time lock (``common.locks``), batching pages into
transactions that commit the rows (through the source's sink, ``common.sinks.Sink``) together with the
stream position, quarantine, backfills as streams of their own, and the SyncRun log, including the runs
of killed workers, found still `running` by the next holder of the lock (``runs_abandon``). Pages are fetched,
normalized and prepared for the sink ahead of the writer, in a reader process (``reader``), so the
writer only writes.
"""

import gc
import logging
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.cache import namespace_bump
from common.locks import LockBusy, job_lock, metadata_lock_name, sync_lock_name
from common.sources import declaration, source_names
from integrations.choices import SYNC_STATUS, RunStatus
from integrations.core.errors import SyncAlreadyRunning, UpstreamError
from integrations.core.reader import ReadPage, read_pages
from integrations.core.source import Source, StreamPosition, backfill_stream
from integrations.models import SyncRun, SyncState
from integrations.services import quarantine_records, sync_evidence_store
from integrations.signals import sync_run_finished

logger = logging.getLogger(__name__)

# On SQLite, a worker that dies stops renewing; after this long another may take over the source.
LEASE_TTL = timedelta(minutes=5)
# A killed worker's PostgreSQL session ends when the server sees its socket close: at once when it was
# idle, after the statement when it was busy writing a batch. The next run waits this long for the lock
# rather than being refused in that moment.
LOCK_WAIT = timedelta(seconds=3)
# What a run whose worker died without finishing it says, first in its error.
ABANDONED = "abandoned: worker died"
# Rows per transaction, unless the source says otherwise (``Source.batch_rows``). Measured on the Vima
# sandbox (bench/vima_sync.py): 2,000 rows keep a commit's fixed cost under 5% while a crash re-reads at
# most 20 pages.
BATCH_ROWS = 2_000
# Pages fetched ahead of the writer: a whole batch (20 pages of 100) plus a few, so that the next
# batch is fetched while this one is written; with only 4 the writer waited a third of the time.
PREFETCH_PAGES = 24


@dataclass
class _Counts:
    pages: int = 0
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    warnings: int = 0
    written: int = 0


def sync_run(
    *, source: Source, trigger: str, mode: str = "", max_pages: int | None = None, on_batch=None,
    backfill: tuple[date, date] | None = None, sink=None,
) -> SyncRun:
    """Run one sync of ``source``; returns its SyncRun (succeeded or failed, never left running).

    ``backfill=(first_day, last_day)`` reads that range as a stream of its own (resumable, leaving the
    incremental positions alone) through ``source.backfill_pages``. Rows go to ``sink``, by default the
    one the source's declaration names. Raises SyncAlreadyRunning when another worker holds the source's
    lock. ``on_batch(run, page)`` is called after each committed batch (progress bars), with its last page.
    """
    _freeze_startup_objects()
    sink = sink or declaration(source.name).sink
    busy = SyncAlreadyRunning(f"a {source.name} sync is already running")
    with job_lock(sync_lock_name(source.name), busy=busy, ttl=LEASE_TTL, wait=LOCK_WAIT) as lock:
        runs_abandon(source=source.name, kind=SyncRun.Kind.TRANSACTIONS, found_by="the next run")
        positions = _positions(source.name)
        run = SyncRun.objects.create(
            # The mode the source was built in when the caller left it to the settings (PAYSHACK_MODE…).
            source=source.name, sink=sink.name, mode=mode or getattr(source, "mode", ""), trigger=trigger,
            started_at=timezone.now(),
            worker=lock.holder,
            cursor_before={stream: pos.as_dict() for stream, pos in positions.items()},
            cursor_after={stream: pos.as_dict() for stream, pos in positions.items()},
        )
        namespace_bump(SYNC_STATUS)  # the status now says "running"
        try:
            with _fewer_collections():
                _run_streams(source, sink, run, positions, lock=lock, max_pages=max_pages, backfill=backfill,
                             on_batch=on_batch or (lambda run, page: None))
            finish_run(run, RunStatus.SUCCEEDED)
        except UpstreamError as exc:
            sync_evidence_store(run=run, files=exc.evidence)
            finish_run(run, RunStatus.FAILED, error=exc.message)
        except Exception as exc:
            logger.exception("%s sync run %s crashed", source.name, run.pk)
            finish_run(run, RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
            raise
        finally:
            source.close()
    return run


# Allocations between young collections while a run goes on (Python's default: 700). A batch's
# rows are a few tens of thousands of objects that live until it is written and then go all at
# once, by reference count; with the default, each was scanned dozens of times and promoted to
# the older generations, whose collections re-scanned it (measured: 18% of the writer's CPU).
RUN_GC_YOUNG_THRESHOLD = 50_000


@contextmanager
def _fewer_collections():
    """Collect garbage less often during a run (and in the reader process it forks), as before after it."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(RUN_GC_YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _freeze_startup_objects() -> None:
    """Move what Django loaded at start-up out of the garbage collector's view, once per process.

    A sync allocates millions of short-lived objects; every full collection otherwise re-scans
    the whole start-up heap (measured: ~9% of a 1M-record sync).
    """
    global _FROZEN
    if not _FROZEN:
        gc.collect()
        gc.freeze()
        _FROZEN = True


_FROZEN = False


def _run_streams(source, sink, run, positions, *, lock, max_pages, backfill, on_batch):
    streams = [backfill_stream(*backfill)] if backfill else source.streams(positions)
    batch_rows = getattr(source, "batch_rows", BATCH_ROWS)
    planned = [(stream, positions.get(stream, StreamPosition())) for stream in streams]
    batch: list[ReadPage] = []

    def commit() -> None:
        _commit_batch(source, sink, run, batch[-1].stream, batch)
        on_batch(run, batch[-1])
        batch.clear()
        lock.renew()

    with closing(read_pages(source, planned, depth=PREFETCH_PAGES, sink=sink, backfill=backfill)) as pages:
        for number, page in enumerate(pages, start=1):
            if batch and batch[-1].stream != page.stream:
                commit()  # a batch holds one stream: its position is committed with its rows
            batch.append(page)
            if page.commit_after or sum(p.fetched for p in batch) >= batch_rows:
                commit()
            if max_pages is not None and number >= max_pages:
                break
    if batch:
        commit()


def _commit_batch(source, sink, run: SyncRun, stream: str, pages: list[ReadPage]) -> None:
    """Store one batch of prepared pages, its quarantine, its counts and the stream position, atomically."""
    counts = _Counts(pages=len(pages), fetched=sum(p.fetched for p in pages), warnings=sum(p.warnings for p in pages))
    rows = [row for page in pages for row in page.rows]
    bad = [entry for page in pages for entry in page.bad]
    position = pages[-1].position
    with transaction.atomic():
        result = sink.write(rows) if rows else None
        counts.quarantined = quarantine_records(run=run, entries=bad)
        if result is not None:
            counts.inserted, counts.updated, counts.unchanged = result.inserted, result.updated, result.unchanged
            counts.written = result.inserted + result.updated
        moved = {**pages[-1].also, stream: position}
        for moved_stream, moved_position in moved.items():
            _save_position(source.name, moved_stream, moved_position)
        run.cursor_after = {**(run.cursor_after or {}), **{name: pos.as_dict() for name, pos in moved.items()}}
        SyncRun.objects.filter(pk=run.pk).update(
            **{name: F(name) + value for name, value in vars(counts).items()}, cursor_after=run.cursor_after
        )
        namespace_bump(SYNC_STATUS)  # the status shows the run's counts: its version commits with them
        for name, value in vars(counts).items():
            setattr(run, name, getattr(run, name) + value)


def _positions(source_name: str) -> dict[str, StreamPosition]:
    return {
        state.stream: StreamPosition(state.cursor, state.window_end.isoformat() if state.window_end else "")
        for state in SyncState.objects.filter(source=source_name)
    }


def _save_position(source_name: str, stream: str, position: StreamPosition) -> None:
    window_end = datetime.fromisoformat(position.window_end) if position.window_end else None
    SyncState.objects.update_or_create(
        source=source_name, stream=stream,
        defaults={"cursor": position.cursor, "window_end": window_end, "last_run_at": timezone.now()},
    )


def finish_run(run: SyncRun, status: str, *, error: str = "") -> None:
    now = timezone.now()
    SyncRun.objects.filter(pk=run.pk).update(status=status, finished_at=now, error=error[:5000])
    run.refresh_from_db()
    if run.kind == SyncRun.Kind.TRANSACTIONS:
        states = SyncState.objects.filter(source=run.source)
        states.update(status=status, last_run_at=now)
        if status == RunStatus.SUCCEEDED:
            states.update(last_success_at=now)
        namespace_bump(SYNC_STATUS)
    _announce_finished(run)


def runs_abandon(*, source: str, kind: str, found_by: str) -> list[int]:
    """Mark ``source``'s runs of ``kind`` still `running` as failed (``ABANDONED``); returns their ids.

    Call it only while holding the lock those runs took: no live worker can be running them then. What
    such a run committed stays counted, as its counts moved with every batch it committed.
    """
    abandoned = list(SyncRun.objects.filter(source=source, kind=kind, status=RunStatus.RUNNING))
    for run in abandoned:
        logger.warning("%s %s run %s was left running by %s; marking it failed", source, kind, run.pk, run.worker)
        finish_run(run, RunStatus.FAILED, error=f"{ABANDONED} (worker {run.worker}; found by {found_by})")
    return [run.pk for run in abandoned]


def runs_sweep() -> list[int]:
    """For every source whose lock is free, mark the runs its dead workers left `running` as failed.

    The periodic sweep, for sources whose next run is far off; returns the ids of the runs it marked.
    """
    locks = ((sync_lock_name, SyncRun.Kind.TRANSACTIONS), (metadata_lock_name, SyncRun.Kind.METADATA))
    marked = []
    for source in sorted(source_names()):
        for lock_name, kind in locks:
            if not SyncRun.objects.filter(source=source, kind=kind, status=RunStatus.RUNNING).exists():
                continue
            try:
                with job_lock(lock_name(source), ttl=LEASE_TTL):
                    marked += runs_abandon(source=source, kind=kind, found_by="the sweep")
            except LockBusy:
                continue  # a live worker holds it: its run is really running
    return marked


def _announce_finished(run: SyncRun) -> None:
    for receiver, outcome in sync_run_finished.send_robust(sender=SyncRun, run=run):
        if isinstance(outcome, Exception):
            logger.error("sync_run_finished receiver %r failed for run %s", receiver, run.pk, exc_info=outcome)
