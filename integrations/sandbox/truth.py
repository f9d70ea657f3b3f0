"""Ground truth of a world: what a correct sync of each provider must store, and what a correct
reconciliation must find, per date."""

from collections import Counter
from datetime import datetime
from decimal import Decimal

from integrations.sandbox.world import World

# The world's statuses (Vima's words) → the unified status, as SPEC 5.1 maps them.
UNIFIED_STATUS = {"success": "success", "fail": "failed", "in_process": "pending", "user_input_required": "pending"}
RECONCILIATION_CLASSES = ("matched", "discrepancy_amount", "discrepancy_status", "missing_vima", "missing_payshack",
                          "duplicate")


class _Totals:
    def __init__(self):
        self.total, self.by_project, self.by_status, self.amounts = 0, Counter(), Counter(), {}

    def add(self, project: str, status: str, currency: str, amount_minor: int) -> None:
        """One stored transaction; ``status`` is the unified status a correct normalizer gives it."""
        self.total += 1
        self.by_project[project] += 1
        self.by_status[status] += 1
        self.amounts[currency] = self.amounts.get(currency, Decimal(0)) + Decimal(amount_minor).scaleb(-2)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "by_project": dict(sorted(self.by_project.items())),
            "by_status": dict(sorted(self.by_status.items())),
            "amount_by_currency": {currency: str(amount) for currency, amount in sorted(self.amounts.items())},
        }


def world_truth(world: World, *, now: datetime, malformed_rate: float = 0.0) -> dict:
    """The document `manage.py sandbox truth` prints; ``vima.quarantined`` counts records sent malformed.

    A reconciliation result is dated by the Vima side's creation date (UTC), or PayShack's when
    only PayShack has the payment.
    """
    from integrations.payshack.sandbox.ledger import ShackTxn
    from integrations.vima.sandbox import is_malformed

    vima, payshack = _Totals(), _Totals()
    quarantined = 0
    reconciliation: dict[str, Counter] = {}
    for index in range(world.created_before(now)):
        payment = world.payment(index)
        if payment.on_vima:
            if is_malformed(world, index, malformed_rate):
                quarantined += 1
            else:
                vima.add(payment.project, UNIFIED_STATUS[payment.status_at(now)], payment.currency,
                         payment.amount_minor)
        if payment.on_payshack:
            for copy in range(2 if payment.presence == "duplicate" else 1):
                txn = ShackTxn(payment, copy)
                if txn.created_at <= now:
                    payshack.add(payment.project, txn.unified_status(now), payment.currency,
                                 payment.payshack_amount_minor)
        klass = payment.reconciliation_class
        if klass is not None:
            day = (payment.created_at if payment.on_vima else payment.payshack_created_at).date().isoformat()
            reconciliation.setdefault(day, Counter())[klass] += 1
    return {
        "vima": {**vima.as_dict(), "quarantined": quarantined},
        "payshack": payshack.as_dict(),
        "reconciliation": {day: {klass: counts[klass] for klass in RECONCILIATION_CLASSES}
                           for day, counts in sorted(reconciliation.items())},
    }


def vima_truth(world: World, *, now: datetime, malformed_rate: float = 0.0) -> dict:
    """The Vima section of ``world_truth``."""
    return world_truth(world, now=now, malformed_rate=malformed_rate)["vima"]
