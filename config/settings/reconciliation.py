"""Reconciliation (SPEC 7): tolerances, the business day, the settlement lag, the nightly run."""

from decimal import Decimal

from config.env import env

# Two amounts match when they differ by at most max(absolute, percent of the larger amount); a row of
# Reconciliation tolerances in the admin overrides these per project pair.
RECONCILIATION_TOLERANCE_ABSOLUTE = Decimal(env.str("RECONCILIATION_TOLERANCE_ABSOLUTE", default="0.01"))
RECONCILIATION_TOLERANCE_PERCENT = Decimal(env.str("RECONCILIATION_TOLERANCE_PERCENT", default="0.1"))
# The time zone whose midnight cuts reconciliation days (an IANA name).
RECONCILIATION_TIME_ZONE = env.str("RECONCILIATION_TIME_ZONE", default="UTC")
# A payment created this close to midnight on one side still meets its partner on the other side of it.
RECONCILIATION_SETTLEMENT_LAG_MINUTES = env.int("RECONCILIATION_SETTLEMENT_LAG_MINUTES", default=120)
# The nightly run reconciles yesterday at this time (a crontab "minute hour", UTC), after the last syncs.
RECONCILIATION_NIGHTLY_AT = env.str("RECONCILIATION_NIGHTLY_AT", default="30 2")
# After a sync changes transactions of a past date, that date is reconciled again this many seconds
# later: the pages of one sync arrive within it and cause one run, not one per page.
RECONCILIATION_RERUN_DELAY_SECONDS = env.int("RECONCILIATION_RERUN_DELAY_SECONDS", default=300)
# On PostgreSQL a run's statement is split into this many shards of the key space, run at once on as
# many connections (and cores); 1 runs it as a single statement. Set it to the cores the database has.
RECONCILIATION_SHARDS = env.int("RECONCILIATION_SHARDS", default=2)
