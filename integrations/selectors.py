"""Reads of the integrations app: where each provider's sync stands, for the API and the dashboard."""

from datetime import datetime

from django_celery_beat.models import PeriodicTask

from common.sources import source_names
from integrations.choices import RunStatus
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
        "next_scheduled_run": _next_run(source),
        "last_cursor": {state.stream: state.cursor or (state.window_end.isoformat() if state.window_end else "")
                        for state in states},
    }


def _next_run(source: str) -> datetime | None:
    """When beat will next start this provider's sync: its last run plus its interval (None if disabled)."""
    task = PeriodicTask.objects.filter(name=f"sync {source}", enabled=True).select_related("interval").first()
    if task is None or task.interval is None:
        return None
    if task.last_run_at is None:
        return task.start_time or task.date_changed
    return task.last_run_at + task.schedule.run_every
