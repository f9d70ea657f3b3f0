"""What monitoring does when a sync run ends, a reconciliation run succeeds or a Celery task fails: alerts
and failure records."""

import logging

from celery.signals import task_failure
from django.dispatch import receiver

from integrations.signals import sync_run_finished
from monitoring.services import alert_discrepancy_share, alert_sync_finished, task_failure_record
from reconciliation.choices import ResultType
from reconciliation.signals import reconciliation_run_succeeded

logger = logging.getLogger(__name__)


@receiver(sync_run_finished, dispatch_uid="monitoring.sync_alerts")
def alert_on_sync_finished(sender, run, **kwargs):
    alert_sync_finished(run=run)


@receiver(reconciliation_run_succeeded, dispatch_uid="monitoring.discrepancy_alerts")
def alert_on_discrepancy_share(sender, run, **kwargs):
    """Tell the finance admins when the run's discrepancy share is above ALERT_DISCREPANCY_SHARE (once per
    incident: a rerun still above it adds to the open incident; one at or under it closes it)."""
    span = str(run.date_from) if run.date_from == run.date_to else f"{run.date_from}…{run.date_to}"
    matched = run.counts.get(ResultType.MATCHED, 0)
    alert_discrepancy_share(subject=f"{run.left_source}-{run.right_source} {span}", discrepancies=run.total - matched,
                            total=run.total, detail=f"Run {run.pk}: {run.counts}.")


@task_failure.connect(dispatch_uid="monitoring.task_failures")
def record_task_failure(sender=None, task_id=None, exception=None, **kwargs):
    try:
        task_failure_record(task_name=getattr(sender, "name", str(sender)), task_id=task_id or "",
                            exception=exception)
    except Exception:  # noqa: BLE001 — the database may be what failed the task; the log still has it
        logger.exception("could not record the failure of task %s", task_id)
