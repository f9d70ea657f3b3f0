"""Database constraints of the loan book."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from lending.models import Borrower, Credit, Repayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def borrower():
    return Borrower.objects.create(id=1, login="olena", registered_on=date(2025, 12, 1))


def _credit(borrower, **overrides):
    values = {"id": 10, "borrower": borrower, "issued_on": date(2026, 1, 5), "due_on": date(2026, 2, 5),
              "returned_on": None, "body": Decimal("5000.00"), "interest": Decimal("750.00")}
    return Credit.objects.create(**{**values, **overrides})


@pytest.mark.parametrize("overrides", [
    {"body": Decimal("0.00")},
    {"interest": Decimal("-1.00")},
    {"due_on": date(2026, 1, 4)},
    {"returned_on": date(2026, 1, 4)},
])
def test_the_database_refuses_a_bad_credit(borrower, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        _credit(borrower, **overrides)
    assert Credit.objects.count() == 0


@pytest.mark.parametrize("overrides", [{"amount": Decimal("0.00")}, {"type": "fee"}])
def test_the_database_refuses_a_bad_repayment(borrower, overrides):
    credit = _credit(borrower)
    values = {"id": 100, "credit": credit, "paid_on": date(2026, 1, 20), "type": "body", "amount": Decimal("10.00")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Repayment.objects.create(**{**values, **overrides})
    assert Repayment.objects.count() == 0


def test_a_credit_returned_the_day_it_was_issued_is_allowed(borrower):
    credit = _credit(borrower, returned_on=date(2026, 1, 5), due_on=date(2026, 1, 5))
    assert Credit.objects.get(pk=credit.pk).returned_on == date(2026, 1, 5)
