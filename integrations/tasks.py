"""Celery tasks of the integrations app: thin wrappers around the sync runner."""

import logging

from celery import shared_task

from common.sources import declaration
from integrations.core.accounts import metadata_run
from integrations.core.errors import SyncAlreadyRunning
from integrations.core.runner import runs_sweep, sync_run

logger = logging.getLogger(__name__)


@shared_task(name="integrations.sync_provider", ignore_result=True)
def sync_provider(source: str, trigger: str = "schedule", mode: str = "") -> int | None:
    """Sync one provider; a run already going on makes this one a no-op. Returns the SyncRun id."""
    try:
        run = sync_run(source=declaration(source).source(mode), trigger=trigger, mode=mode)
    except SyncAlreadyRunning:
        logger.info("%s sync skipped: a run is already going on", source)
        return None
    return run.pk


@shared_task(name="integrations.sync_metadata", ignore_result=True)
def sync_metadata(source: str, trigger: str = "schedule") -> int | None:
    """Refresh one provider's accounts and balances (with a snapshot). Returns the SyncRun id."""
    try:
        run = metadata_run(source=source, read_accounts=declaration(source).metadata, trigger=trigger)
    except SyncAlreadyRunning:
        logger.info("%s metadata sync skipped: a run is already going on", source)
        return None
    return run.pk


@shared_task(name="integrations.sweep_abandoned_runs", ignore_result=True)
def sweep_abandoned_runs() -> list[int]:
    """Scheduled by beat: runs left `running` by workers that died are marked failed. Returns their ids."""
    return runs_sweep()
