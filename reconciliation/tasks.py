"""Celery tasks of reconciliation: thin wrappers around ``services``."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.db import transaction

from reconciliation.choices import RunStatus, Trigger
from reconciliation.models import ReconciliationRun
from reconciliation.services import reconciliation_run

logger = logging.getLogger(__name__)


@shared_task(name="reconciliation.run_queued", ignore_result=True)
def run_queued(run_id: int) -> None:
    """Carry out a run queued by the API; a run already started (a redelivered message) is left alone."""
    claimed = ReconciliationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING)
    if not claimed:
        logger.info("reconciliation run %s is not queued any more: nothing to do", run_id)
        return
    reconciliation_run(queued=ReconciliationRun.objects.get(pk=run_id))


@shared_task(name="reconciliation.reconcile_yesterday", ignore_result=True)
def reconcile_yesterday() -> int:
    """The nightly run: yesterday in the business time zone. Returns the run id."""
    today = datetime.now(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date()
    return reconciliation_run(date_from=today - timedelta(days=1), date_to=today - timedelta(days=1),
                              trigger=Trigger.SCHEDULE).pk


@shared_task(name="reconciliation.reconcile_date", ignore_result=True)
def reconcile_date(day: str) -> int:
    """Reconcile one date again after a sync changed it (enqueued once per date by ``receivers``)."""
    return reconciliation_run(date_from=date.fromisoformat(day), date_to=date.fromisoformat(day),
                              trigger=Trigger.SYNC).pk


def enqueue_run(run: ReconciliationRun) -> None:
    """Send a queued run to the workers once the transaction that stored it has committed."""
    transaction.on_commit(lambda: run_queued.delay(run.pk))


@shared_task(name="reconciliation.render_report", ignore_result=True)
def render_report(report_id: int) -> None:
    """Render a requested PDF report; a report already rendered is left alone (a redelivered message)."""
    from reconciliation.choices import ReportStatus
    from reconciliation.models import ReconciliationReport
    from reconciliation.reports import report_render

    if ReconciliationReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).exists():
        report_render(report_id=report_id)
