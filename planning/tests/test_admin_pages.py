"""The admin's plan-against-actual page, the loan book's admin and the dashboard's card, on the hand-worked book."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from planning.models import Category, Plan
from planning.tests.test_selectors import book  # noqa: F401 — the hand-worked book

pytestmark = pytest.mark.django_db
PAGE = "/admin/planning/performance/"


def test_the_page_shows_year_and_plans_performance_and_a_borrowers_credits(client, viewer, book):  # noqa: F811
    client.force_login(viewer)
    response = client.get(PAGE, {"year": "2026", "date": "2026-03-15", "borrower": "1"})
    assert response.status_code == 200
    march = response.context["year_rows"][2]
    assert march[0] == date(2026, 3, 1) and march[1][0]["unplanned"] is True
    html = response.content.decode()
    assert '<tr data-month="2026-03">' in html and "no plan" in html
    assert [row["sum"] for row in response.context["plans_performance"] if row["category"] == "issuance"] == [
        Decimal("1500.00"), Decimal("2000.00")]
    assert [credit["id"] for credit in response.context["credits"]["credits"]] == [1, 2, 3, 4]
    assert "Credits of olena" in html


def test_bad_parameters_are_reported_not_a_500(client, viewer, book):  # noqa: F811
    client.force_login(viewer)
    response = client.get(PAGE, {"year": "20x6", "date": "15.03.2026", "borrower": "99"}, follow=True)
    assert response.status_code == 200
    texts = [str(message) for message in response.context["messages"]]
    assert "year: must be a whole number between 1970 and 2199, got '20x6'" in texts
    assert any(text.startswith("date: expected") for text in texts)
    assert "no borrower 99" in texts


def test_a_bad_parameter_falls_back_to_its_default_alone(client, viewer, book):  # noqa: F811
    client.force_login(viewer)
    response = client.get(PAGE, {"year": "2026", "date": "2026-02-30", "borrower": "x"})
    texts = [str(message) for message in response.context["messages"]]
    assert [text.split(":")[0] for text in texts] == ["date", "borrower"]
    assert response.context["year"] == 2026 and response.context["borrower"] == ""


def test_the_loan_book_admin_lists_are_read_only(client, finance_admin, book):  # noqa: F811
    client.force_login(finance_admin)
    for path in ("/admin/lending/borrower/", "/admin/lending/credit/", "/admin/lending/repayment/",
                 "/admin/lending/loanday/", "/admin/planning/plan/", "/admin/planning/category/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/lending/credit/add/").status_code == 403


def test_the_dashboard_card_shows_this_months_plans(client, viewer, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 15, 9, tzinfo=UTC))
    Plan.objects.create(month=date(2026, 3, 1), category=Category.objects.get(code="issuance"),
                        amount=Decimal("5000.00"), currency="UAH")
    client.force_login(viewer)
    response = client.get("/admin/")
    plans = response.context["dashboard"]["plans"]
    assert (plans["month"], plans["today"]) == (date(2026, 3, 1), date(2026, 3, 15))
    assert [(row["category"], row["plan"], row["sum"], row["performance"]) for row in plans["rows"]] == [
        ("issuance", Decimal("5000.00"), Decimal("0.00"), Decimal("0.00"))]
    assert 'id="plans-this-month"' in response.content.decode()
