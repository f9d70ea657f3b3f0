"""What monitoring does when a sync run ends or a Celery task fails: alerts and failure records."""

import logging

from celery.signals import task_failure
from django.dispatch import receiver

from integrations.signals import sync_run_finished
from monitoring.services import alert_sync_finished, task_failure_record

logger = logging.getLogger(__name__)


@receiver(sync_run_finished, dispatch_uid="monitoring.sync_alerts")
def alert_on_sync_finished(sender, run, **kwargs):
    alert_sync_finished(run=run)


@task_failure.connect(dispatch_uid="monitoring.task_failures")
def record_task_failure(sender=None, task_id=None, exception=None, **kwargs):
    try:
        task_failure_record(task_name=getattr(sender, "name", str(sender)), task_id=task_id or "",
                            exception=exception)
    except Exception:  # noqa: BLE001 — the database may be what failed the task; the log still has it
        logger.exception("could not record the failure of task %s", task_id)
