"""Reads of the integrations app: where each provider's sync stands, for the API and the dashboard."""

from datetime import datetime

from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from common.sources import source_names
from integrations.choices import RunStatus, RunTrigger
from integrations.core.source import BACKFILL_PREFIX
from integrations.models import SyncRun, SyncState


def sync_status() -> list[dict]:
    """Per provider: last run and its state, last success, records, next scheduled run, error, cursors."""
    return [_provider_status(source) for source in sorted(source_names())]


def _provider_status(source: str) -> dict:
    runs = SyncRun.objects.filter(source=source, kind=SyncRun.Kind.TRANSACTIONS)
    last = runs.order_by("-started_at").first()
    last_success = runs.filter(status=RunStatus.SUCCEEDED).order_by("-started_at").first()
    states = SyncState.objects.filter(source=source).exclude(stream__startswith=BACKFILL_PREFIX)
    return {
        "source": source,
        "status": last.status if last else "never_run",
        "last_sync": last.started_at if last else None,
        "last_sync_finished": last.finished_at if last else None,
        "last_successful_sync": last_success.finished_at if last_success else None,
        "records_synced": last.fetched if last else 0,
        "inserted": last.inserted if last else 0,
        "updated": last.updated if last else 0,
        "quarantined": last.quarantined if last else 0,
        "mode": last.mode if last else "",
        "error": last.error if last else "",
        "next_scheduled_run": _next_run(source, runs),
        "last_cursor": {state.stream: state.cursor or (state.window_end.isoformat() if state.window_end else "")
                        for state in states},
    }


def _next_run(source: str, runs) -> datetime | None:
    """When beat will next start this provider's sync (None if disabled): an interval after the later of beat's
    record of its last start (saved lazily, and written one interval back for a new schedule) and the start of
    the last scheduled run; never before now (an overdue sync starts at beat's next tick)."""
    task = PeriodicTask.objects.filter(name=f"sync {source}", enabled=True).select_related("interval").first()
    if task is None or task.interval is None:
        return None
    now = timezone.now()
    last_scheduled = (runs.filter(trigger=RunTrigger.SCHEDULE).order_by("-started_at")
                      .values_list("started_at", flat=True).first())
    starts = [moment for moment in (task.last_run_at, last_scheduled) if moment is not None]
    if not starts:
        return max(task.start_time or task.date_changed, now)
    return max(max(starts) + task.schedule.run_every, now)
