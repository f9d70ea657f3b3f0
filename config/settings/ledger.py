"""The general ledger (SPEC 11): how and when transactions are posted, and segregation of duties."""

from config.env import env

# realtime: after each sync batch commits, a task posts the days it touched; batch: only the nightly run;
# manual: only `manage.py ledger post`. The nightly run happens in realtime mode too (it catches up).
LEDGER_POSTING_MODE = env.str("LEDGER_POSTING_MODE", default="realtime")
# In realtime mode each business day touched by a sync is posted this many seconds after its first change:
# the pages of one sync that arrive meanwhile are posted by that one task (0: a task per committed page).
LEDGER_REALTIME_DELAY_SECONDS = env.int("LEDGER_REALTIME_DELAY_SECONDS", default=15)
# True: vouchers made from transactions are posted at once (by the system user); False: left in draft for a
# finance_manager to review and a finance_admin to post.
LEDGER_AUTO_POST = env.bool("LEDGER_AUTO_POST", default=True)
# Whoever created a voucher can neither review nor post it.
LEDGER_SEGREGATION_OF_DUTIES = env.bool("LEDGER_SEGREGATION_OF_DUTIES", default=True)
# The time zone whose midnight cuts a business day of transactions into one voucher (an IANA name).
LEDGER_TIME_ZONE = env.str("LEDGER_TIME_ZONE", default="UTC")
# The nightly batch posts the last this many days again (a crontab "minute hour", UTC for the time).
LEDGER_NIGHTLY_AT = env.str("LEDGER_NIGHTLY_AT", default="15 3")
LEDGER_NIGHTLY_DAYS = env.int("LEDGER_NIGHTLY_DAYS", default=7)
# The nightly GL reconciliation of yesterday (a crontab "minute hour", UTC), after the nightly posting.
LEDGER_GL_RECONCILE_AT = env.str("LEDGER_GL_RECONCILE_AT", default="15 4")
# A posting that moves the balances of a date already GL-reconciled (in the last LEDGER_NIGHTLY_DAYS) runs that
# date's GL reconciliation again this many seconds later (the postings meanwhile share that run; 0: at once).
LEDGER_GL_RERUN_DELAY_SECONDS = env.int("LEDGER_GL_RERUN_DELAY_SECONDS", default=300)
# The user that creates and posts vouchers made from transactions (created inactive on first use).
LEDGER_SYSTEM_USERNAME = env.str("LEDGER_SYSTEM_USERNAME", default="ledger-system")
