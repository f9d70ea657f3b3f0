"""Celery tasks of reconciliation: thin wrappers around ``services``."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.db import transaction

from reconciliation.choices import RunStatus, Trigger
from reconciliation.models import ReconciliationRun
from reconciliation.services import ReconciliationBusy, reconciliation_run

logger = logging.getLogger(__name__)

# A run that finds its pair's run in progress tries again shortly: runs take seconds to minutes.
WHEN_BUSY = {"autoretry_for": (ReconciliationBusy,), "retry_backoff": 15, "retry_backoff_max": 300, "max_retries": 30}


@shared_task(name="reconciliation.run_queued", ignore_result=True, **WHEN_BUSY)
def run_queued(run_id: int) -> None:
    """Carry out a run queued by the API; a run already started (a redelivered message) is left alone.

    The run is claimed under its pair's lease (``reconciliation_run``), so a run found queued here and
    taken by another worker meanwhile is not run twice."""
    queued = ReconciliationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if queued is None:
        logger.info("reconciliation run %s is not queued any more: nothing to do", run_id)
        return
    reconciliation_run(queued=queued)


@shared_task(name="reconciliation.reconcile_yesterday", ignore_result=True, **WHEN_BUSY)
def reconcile_yesterday() -> int:
    """The nightly run: yesterday in the business time zone. Returns the run id."""
    today = datetime.now(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date()
    return reconciliation_run(date_from=today - timedelta(days=1), date_to=today - timedelta(days=1),
                              trigger=Trigger.SCHEDULE).pk


@shared_task(name="reconciliation.reconcile_date", ignore_result=True, **WHEN_BUSY)
def reconcile_date(day: str) -> int:
    """Reconcile one date again after a sync changed it (enqueued once per date by ``receivers``)."""
    return reconciliation_run(date_from=date.fromisoformat(day), date_to=date.fromisoformat(day),
                              trigger=Trigger.SYNC).pk


def enqueue_run(run: ReconciliationRun) -> None:
    """Send a queued run to the workers once the transaction that stored it has committed."""
    transaction.on_commit(lambda: run_queued.delay(run.pk))
