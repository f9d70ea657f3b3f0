"""Ground truth of a world: what a correct sync of each provider must store."""

from collections import Counter
from datetime import datetime
from decimal import Decimal

from integrations.sandbox.world import World

# Vima's words → the unified status (the same map the normalizer applies).
VIMA_STATUS = {"success": "success", "fail": "failed", "in_process": "pending", "user_input_required": "pending"}


def vima_truth(world: World, *, now: datetime, malformed_rate: float = 0.0) -> dict:
    """Totals of the Vima records visible at ``now`` that normalize (malformed ones are quarantined)."""
    from integrations.vima.sandbox import is_malformed

    by_project, by_status, amounts = Counter(), Counter(), {}
    total = quarantined = 0
    for index in range(world.created_before(now)):
        payment = world.payment(index)
        if not payment.on_vima:
            continue
        if is_malformed(world, index, malformed_rate):
            quarantined += 1
            continue
        total += 1
        by_project[payment.project] += 1
        by_status[VIMA_STATUS[payment.status_at(now)]] += 1
        amounts[payment.currency] = amounts.get(payment.currency, Decimal(0)) + Decimal(payment.amount_minor).scaleb(-2)
    return {
        "total": total,
        "quarantined": quarantined,
        "by_project": dict(sorted(by_project.items())),
        "by_status": dict(sorted(by_status.items())),
        "amount_by_currency": {currency: str(amount) for currency, amount in sorted(amounts.items())},
    }
