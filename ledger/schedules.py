"""Periodic tasks of the ledger: the nightly posting run (batch mode, and the catch-up in realtime mode) and,
an hour later, the GL reconciliation of yesterday."""

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

register(
    ScheduleSpec(
        name="ledger nightly GL reconciliation",
        task="ledger.gl_reconcile_yesterday",
        crontab=f"{settings.LEDGER_GL_RECONCILE_AT} * * *",
        description="Reconciles each provider clearing account with its transactions and reported balance.",
    )
)
