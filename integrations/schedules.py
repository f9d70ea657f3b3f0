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

register(
    ScheduleSpec(
        name="sync payshack",
        task="integrations.sync_provider",
        every_seconds=settings.PAYSHACK_SYNC_EVERY_MINUTES * 60,
        kwargs='{"source": "payshack"}',
        description="PayShack pay-ins and pay-outs by IST day, with a look-back (SPEC 6: every 10 minutes).",
    )
)
register(
    ScheduleSpec(
        name="sync payshack metadata",
        task="integrations.sync_metadata",
        every_seconds=settings.PAYSHACK_METADATA_EVERY_MINUTES * 60,
        kwargs='{"source": "payshack"}',
        description="PayShack clients, wallet balances (snapshot each run), resellers, service providers.",
    )
)
