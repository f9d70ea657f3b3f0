"""Plan against actual with values worked out by hand: a small book over three months of 2026.

Credits issued (bodies): Jan 10 1000.00, Jan 20 500.00, Feb 5 2000.00, Mar 3 300.00, Mar 25 700.00.
Repayments: Jan 25 body 400.00 + interest 50.00; Feb 14 body 1100.00; Mar 10 interest 25.50.
Plans (no project): issuance Jan 1000.00 (150 % done), Feb 4000.00 (50 %), Mar none (unplanned);
collection Jan 500.00 (450 / 500 = 90 %), Mar 100.00.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from lending.models import Borrower, Credit, Repayment
from lending.services import loan_days_rebuild
from planning import selectors
from planning.models import Category, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    borrower = Borrower.objects.create(id=1, login="olena", registered_on=date(2025, 12, 1))
    issued = [(1, date(2026, 1, 10), "1000.00"), (2, date(2026, 1, 20), "500.00"), (3, date(2026, 2, 5), "2000.00"),
              (4, date(2026, 3, 3), "300.00"), (5, date(2026, 3, 25), "700.00")]
    for number, day, body in issued:
        Credit.objects.create(id=number, borrower=borrower, issued_on=day, due_on=day, body=D(body), interest=D(0))
    for number, (credit, day, kind, amount) in enumerate([(1, date(2026, 1, 25), "body", "400.00"),
                                                          (1, date(2026, 1, 25), "interest", "50.00"),
                                                          (3, date(2026, 2, 14), "body", "1100.00"),
                                                          (3, date(2026, 3, 10), "interest", "25.50")], start=1):
        Repayment.objects.create(id=number, credit_id=credit, paid_on=day, type=kind, amount=D(amount))
    loan_days_rebuild()
    issuance, collection = Category.objects.get(code="issuance"), Category.objects.get(code="collection")
    for month, category, amount in [(1, issuance, "1000.00"), (2, issuance, "4000.00"), (1, collection, "500.00"),
                                    (3, collection, "100.00")]:
        Plan.objects.create(month=date(2026, month, 1), category=category, amount=D(amount), currency="UAH")


def test_year_performance_per_month(book):
    months = selectors.year_performance(year=2026)["months"]
    assert len(months) == 12
    jan, feb, mar, apr = months[:4]
    # Issued in the year: 1500 + 2000 + 1000 = 4500.
    assert jan["issuance"] == {"plan": D("1000.00"), "currency": "UAH", "count": 2, "sum": D("1500.00"),
                               "performance": D("150.00"), "unplanned": False, "share_of_year": D("33.33")}
    assert feb["issuance"]["performance"] == D("50.00") and feb["issuance"]["share_of_year"] == D("44.44")
    # March has credits and no issuance plan: listed, flagged, performance null.
    assert mar["issuance"] == {"plan": None, "currency": None, "count": 2, "sum": D("1000.00"), "performance": None,
                               "unplanned": True, "share_of_year": D("22.22")}
    # Collected in the year: 450 + 1100 + 25.50 = 1575.50.
    assert jan["collection"] == {"plan": D("500.00"), "currency": "UAH", "count": 2, "sum": D("450.00"),
                                 "performance": D("90.00"), "unplanned": False, "share_of_year": D("28.56")}
    assert feb["collection"]["unplanned"] is True and feb["collection"]["sum"] == D("1100.00")
    assert mar["collection"]["performance"] == D("25.50")
    assert apr["issuance"] == {"plan": None, "currency": None, "count": 0, "sum": D("0.00"), "performance": None,
                               "unplanned": False, "share_of_year": D("0.00")}


def test_a_project_sees_its_own_plans_only(book):
    months = selectors.year_performance(year=2026, project="91game")["months"]
    assert months[0]["issuance"]["plan"] is None and months[0]["issuance"]["unplanned"] is True


def test_plans_performance_counts_each_month_only_up_to_the_date(book):
    rows = selectors.plans_performance(as_of=date(2026, 3, 15))
    by_plan = {(row["month"].month, row["category"]): row for row in rows}
    assert sorted(by_plan) == [(1, "collection"), (1, "issuance"), (2, "issuance"), (3, "collection")]
    # January's issuance is January's alone (1500), not January to March 15 (3800: the original's fault).
    assert (by_plan[(1, "issuance")]["sum"], by_plan[(1, "issuance")]["through"]) == (D("1500.00"), date(2026, 1, 31))
    assert by_plan[(2, "issuance")]["sum"] == D("2000.00")
    # March to the 15th: the interest of Mar 10, not the credit of Mar 25.
    assert (by_plan[(3, "collection")]["sum"], by_plan[(3, "collection")]["performance"]) == (D("25.50"), D("25.50"))
    assert by_plan[(3, "collection")]["through"] == date(2026, 3, 15)


def test_plans_performance_leaves_out_months_not_begun(book):
    rows = selectors.plans_performance(as_of=date(2026, 1, 24))
    assert [(row["month"].month, row["category"], row["sum"]) for row in rows] == [
        (1, "collection", D("0.00")), (1, "issuance", D("1500.00"))]
