"""One cache namespace per answer of plans and the loan book (SPEC 12), and what invalidates each.

Every change bumps only the answers it can move: a plan of pay-in volume leaves the loan book's
answers cached, a loan-book load leaves payment volumes cached, a sync touches payment volumes only.
"""

from planning.choices import CategoryCode

YEAR_PERFORMANCE = "planning.year"
PLANS_PERFORMANCE = "planning.plans"
PAYMENT_VOLUMES = "planning.volumes"
BORROWER_CREDITS = "lending.credits"
NAMESPACES = (YEAR_PERFORMANCE, PLANS_PERFORMANCE, PAYMENT_VOLUMES, BORROWER_CREDITS)

# Cached answers are bumped the moment their data changes, so the TTL only bounds memory.
ANSWER_TTL = 3600

# The answers that read plans of each category.
_READ_BY_CATEGORY = {
    CategoryCode.ISSUANCE: (YEAR_PERFORMANCE, PLANS_PERFORMANCE),
    CategoryCode.COLLECTION: (YEAR_PERFORMANCE, PLANS_PERFORMANCE),
    CategoryCode.BODY: (PLANS_PERFORMANCE,),
    CategoryCode.INTEREST: (PLANS_PERFORMANCE,),
    CategoryCode.PAYIN_VOLUME: (PAYMENT_VOLUMES,),
    CategoryCode.PAYOUT_VOLUME: (PAYMENT_VOLUMES,),
}
# The answers that read credits and repayments.
LOAN_BOOK_READERS = (YEAR_PERFORMANCE, PLANS_PERFORMANCE, BORROWER_CREDITS)
# The answers that read the transaction rollups.
ROLLUP_READERS = (PAYMENT_VOLUMES,)


def plan_readers(codes) -> list[str]:
    """The namespaces whose answers read plans of the categories ``codes``, each once, in a fixed order."""
    found = {namespace for code in codes for namespace in _READ_BY_CATEGORY[code]}
    return [namespace for namespace in NAMESPACES if namespace in found]
