"""The beat scheduler: django-celery-beat's database scheduler, plus a heartbeat of its own."""

import logging
import time

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler

from common.services import heartbeat_record

logger = logging.getLogger(__name__)


class HeartbeatScheduler(DatabaseScheduler):
    """Records a "beat" heartbeat at most every HEARTBEAT_INTERVAL seconds while it ticks."""

    _last_heartbeat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_heartbeat >= settings.HEARTBEAT_INTERVAL:
            try:
                heartbeat_record(name="beat", detail="django-celery-beat")
                self._last_heartbeat = now
            except Exception:  # noqa: BLE001 — a missed heartbeat must not stop scheduling
                logger.exception("beat heartbeat failed")
        return super().tick(*args, **kwargs)
