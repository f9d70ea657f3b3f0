"""Celery tasks of monitoring."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from monitoring.retention import operations_prune
from monitoring.services import alerts_check


@shared_task(name="monitoring.alerts_check", ignore_result=True)
def check_alerts() -> None:
    """Scheduled by beat: opens or closes "provider silent" incidents and retries unsent alert e-mails."""
    alerts_check()


@shared_task(name="monitoring.prune_operations", ignore_result=True)
def prune_operations() -> None:
    """Scheduled by beat, nightly: deletes operational rows older than OPERATIONS_RETENTION_DAYS and prepared
    files older than PREPARED_FILE_RETENTION_DAYS."""
    operations_prune(now=timezone.now(), days=settings.OPERATIONS_RETENTION_DAYS,
                     prepared_file_days=settings.PREPARED_FILE_RETENTION_DAYS)
