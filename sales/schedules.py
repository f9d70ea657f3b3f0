"""Periodic jobs of the sales app: the morning gap check (iiko's nightly sync is in its declaration)."""

import json

from django.conf import settings

from common.scheduling import ScheduleSpec, register

register(ScheduleSpec(
    name="sync iiko gaps", task="integrations.sync_provider", crontab="0 10 * * *", timezone=settings.SALES_TIMEZONE,
    kwargs=json.dumps({"source": "iiko", "mode": "gaps"}),
    description="Resync the recent days some department is missing from (SPEC 14: a gap check at 10:00 local).",
))
