"""Periodic tasks of monitoring, written to django-celery-beat by `manage.py setup_schedules`."""

from django.conf import settings

from common.scheduling import ScheduleSpec, register

register(
    ScheduleSpec(
        name="alerts check",
        task="monitoring.alerts_check",
        every_seconds=settings.ALERT_CHECK_EVERY_MINUTES * 60,
        description="Providers silent for longer than ALERT_SILENT_MINUTES alert the finance admins; "
                    "unsent alert e-mails are tried again.",
    )
)

register(
    ScheduleSpec(
        name="prune operations",
        task="monitoring.prune_operations",
        # Nightly, after the nightly reconciliation (02:30 UTC by default), in the quiet hours of most syncs.
        crontab="45 3 * * *",
        description="Deletes closed alert incidents, task failures and finished sync runs older than "
                    "OPERATIONS_RETENTION_DAYS; /metrics keeps what they counted.",
    )
)
