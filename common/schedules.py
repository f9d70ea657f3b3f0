"""Periodic tasks of the common app."""

from django.conf import settings

from common.scheduling import ScheduleSpec, register

register(
    ScheduleSpec(
        name="worker heartbeat",
        task="common.heartbeat",
        every_seconds=settings.HEARTBEAT_INTERVAL,
        description="Proves to /api/v1/health that a worker consumes the queue.",
    )
)
