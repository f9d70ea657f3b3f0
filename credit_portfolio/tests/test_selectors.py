"""The analytics read the monthly totals the import keeps (and the operations for part-months): every
answer equals the same figure summed from the operations themselves, for periods that start and end
mid-month, in one month, open-ended, and with filters."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from credit_portfolio import selectors
from credit_portfolio.models import Expense, Organization, Receipt, RepaymentDetail
from credit_portfolio.rollup import totals_rebuild
from credit_portfolio.sandbox.server import publish
from credit_portfolio.sandbox.world import World
from credit_portfolio.tests.test_import import ftp, run_import  # noqa: F401 — the sandbox fixture

pytestmark = pytest.mark.django_db(transaction=True)

PERIODS = [(None, None), (date(2025, 2, 10), date(2025, 5, 20)), (date(2025, 3, 5), date(2025, 3, 25)),
           (None, date(2025, 4, 15)), (date(2025, 11, 3), None), (date(2025, 4, 1), date(2025, 6, 30)),
           (date(2025, 6, 1), date(2025, 5, 1))]


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def _expected_summary(query) -> dict:
    details = query.details()
    return {"received": _sum(query.receipts()), "paid": _sum(query.expenses()),
            "principal": _sum(details.filter(payment_kind="principal")),
            "interest": _sum(details.filter(payment_kind="interest")),
            "active_contracts": len(set(query.receipts().exclude(contract=None).values_list("contract", flat=True))
                                    | set(query.expenses().exclude(contract=None).values_list("contract", flat=True)))}


def _expected_by_month(query) -> dict:
    months = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    for index, queryset in enumerate((query.receipts(), query.expenses())):
        for day, amount in queryset.values_list("date", "amount"):
            months[f"{day:%Y-%m}"][index] += amount
    return {month: tuple(values) for month, values in sorted(months.items())}


def _expected_contracts(query) -> dict:
    found = defaultdict(lambda: {"paid": Decimal("0.00"), "operations": 0, "last_payment": None})
    for contract, day, amount in query.expenses().exclude(contract=None).values_list("contract", "date", "amount"):
        row = found[contract]
        row["paid"] += amount
        row["operations"] += 1
        row["last_payment"] = max(row["last_payment"] or day, day)
    for contract in query.receipts().exclude(contract=None).values_list("contract", flat=True):
        found[contract]["operations"] += 1
    return dict(found)


def test_every_answer_equals_the_operations_for_any_period_and_filter(ftp):  # noqa: F811
    publish(World(seed=11, size=150), ftp.root, fmt="mixed")
    assert run_import(ftp).status == "succeeded"
    org = Organization.objects.order_by("name").first().pk
    queries = [selectors.PortfolioQuery(first, last) for first, last in PERIODS]
    queries += [selectors.PortfolioQuery(first, last, organization=org) for first, last in PERIODS[:3]]
    for query in queries:
        summary = selectors.summary(query)
        assert {k: summary[k] for k in ("received", "paid", "principal", "interest", "active_contracts")} == (
            _expected_summary(query)), query
        assert {r["month"]: (r["receipts"], r["expenses"]) for r in selectors.monthly_stats(query)} == (
            _expected_by_month(query)), query
        assert {r["contract_id"]: {k: r[k] for k in ("paid", "operations", "last_payment")}
                for r in selectors.contracts(query) if r["operations"]} == _expected_contracts(query), query
        by_org = {r["organization_id"]: (r["paid"], r["repayments"]) for r in selectors.org_efficiency(query)}
        for pk, (paid, repayments) in by_org.items():
            expenses = query.expenses().filter(organization=pk)
            assert (paid, repayments) == (_sum(expenses), expenses.count()), query


def test_the_totals_the_import_kept_equal_the_totals_rebuilt_from_the_operations(ftp):  # noqa: F811
    publish(World(seed=11, size=150), ftp.root, fmt="mixed")
    run_import(ftp)
    from credit_portfolio.models import MonthlyTotal

    def kept():
        return sorted(MonthlyTotal.objects.values_list("kind", "organization_id", "contract_id", "bank_id", "month",
                                                       "amount", "operations", "last_date"))

    before = kept()
    assert before and totals_rebuild() == len(before)
    assert kept() == before
    assert Receipt.objects.exists() and Expense.objects.exists() and RepaymentDetail.objects.exists()
