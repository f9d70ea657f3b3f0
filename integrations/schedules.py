"""Periodic syncs, written to django-celery-beat by `manage.py setup_schedules`."""

from django.conf import settings

from common.scheduling import ScheduleSpec, register

register(
    ScheduleSpec(
        name="sync vima",
        task="integrations.sync_provider",
        every_seconds=settings.VIMA_SYNC_EVERY_MINUTES * 60,
        kwargs='{"source": "vima"}',
        description="New and changed Vima operations (SPEC 6: every 5 minutes).",
    )
)
