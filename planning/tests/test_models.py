"""Database constraints of categories and plans, and the seeded categories."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from planning.models import Category, Plan

pytestmark = pytest.mark.django_db


def test_the_six_categories_are_seeded_with_the_original_names():
    assert dict(Category.objects.values_list("code", "name")) == {
        "issuance": "видача", "collection": "збір", "body": "тіло", "interest": "відсотки",
        "payin_volume": "pay-in volume", "payout_volume": "pay-out volume",
    }


def _plan(**overrides):
    values = {"month": date(2026, 1, 1), "category": Category.objects.get(code="issuance"), "project": "",
              "amount": Decimal("1000.00"), "currency": "UAH"}
    return Plan.objects.create(**{**values, **overrides})


def test_one_plan_per_month_category_and_project_even_without_a_project():
    _plan()
    _plan(project="91game")
    with pytest.raises(IntegrityError), transaction.atomic():
        _plan()
    assert Plan.objects.count() == 2


@pytest.mark.parametrize("overrides", [
    {"month": date(2026, 1, 2)},
    {"amount": Decimal("-0.01")},
    {"currency": "uah"},
])
def test_the_database_refuses_a_bad_plan(overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        _plan(**overrides)
    assert Plan.objects.count() == 0
