"""Celery tasks of monitoring."""

from celery import shared_task

from monitoring.services import alerts_check


@shared_task(name="monitoring.alerts_check", ignore_result=True)
def check_alerts() -> None:
    """Scheduled by beat: opens or closes "provider silent" incidents and retries unsent alert e-mails."""
    alerts_check()
