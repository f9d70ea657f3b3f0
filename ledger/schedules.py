"""Periodic tasks of the ledger: the nightly posting run (batch mode, and the catch-up in realtime mode)."""

from django.conf import settings

from common.scheduling import ScheduleSpec, register

if settings.LEDGER_POSTING_MODE != "manual":
    register(
        ScheduleSpec(
            name="ledger nightly posting",
            task="ledger.post_recent",
            crontab=f"{settings.LEDGER_NIGHTLY_AT} * * *",
            description="Posts the transactions of the last days to the general ledger (the difference only).",
        )
    )
