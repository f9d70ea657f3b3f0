"""The ground truth of the credit portfolio world: totals per kind, organization and month."""

from collections import defaultdict
from decimal import Decimal

from credit_portfolio.sandbox.world import ORGANIZATIONS, World

KINDS = ("receipts", "expenses", "principal", "interest")


def world_truth(world: World) -> dict:
    """Per kind: total, per organization and per month (``YYYY-MM``), amounts as strings; counts of rows."""
    sums = {kind: {"total": Decimal("0"), "by_organization": defaultdict(Decimal), "by_month": defaultdict(Decimal)}
            for kind in KINDS}
    counts = {"receipts": 0, "expenses": 0, "details": 0}

    def add(kind, org, day, amount):
        sums[kind]["total"] += amount
        sums[kind]["by_organization"][ORGANIZATIONS[org]] += amount
        sums[kind]["by_month"][f"{day:%Y-%m}"] += amount

    for receipt in world.receipts():
        counts["receipts"] += 1
        add("receipts", receipt.organization, receipt.day, receipt.amount)
    for expense in world.expenses():
        counts["expenses"] += 1
        counts["details"] += len(expense.principal_lines) + 1
        add("expenses", expense.organization, expense.day, expense.amount)
        add("principal", expense.organization, expense.day, expense.principal)
        add("interest", expense.organization, expense.day, expense.interest)
    return {
        "seed": world.seed, "size": world.size, "revision": world.revision, "counts": counts,
        **{kind: {"total": str(s["total"]),
                  "by_organization": {k: str(v) for k, v in sorted(s["by_organization"].items())},
                  "by_month": {k: str(v) for k, v in sorted(s["by_month"].items())}}
           for kind, s in sums.items()},
    }
