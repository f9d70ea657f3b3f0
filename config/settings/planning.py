"""Plans and the loan book (SPEC 12)."""

from config.env import env

# The lender's business day: "today" of a borrower's days overdue and the months of payment volumes.
PLANNING_TIME_ZONE = env.str("PLANNING_TIME_ZONE", default="Europe/Kyiv")
# Currency of an imported plan whose file has no currency column and whose request names none.
PLANS_DEFAULT_CURRENCY = env.str("PLANS_DEFAULT_CURRENCY", default="UAH")
# Largest plan file the API takes: a year of plans for hundreds of projects is well under 1 MB.
PLAN_IMPORT_MAX_BYTES = env.int("PLAN_IMPORT_MAX_BYTES", default=5242880)
