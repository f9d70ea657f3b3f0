"""The nightly reconciliation, written to django-celery-beat by `manage.py setup_schedules`."""

from django.conf import settings

from common.scheduling import ScheduleSpec, register

register(
    ScheduleSpec(
        name="reconcile yesterday",
        task="reconciliation.reconcile_yesterday",
        crontab=f"{settings.RECONCILIATION_NIGHTLY_AT} * * *",
        description="Vima ↔ PayShack for yesterday's business day, after the night's syncs (SPEC 7).",
    )
)
