"""A borrower's credits as of a date, values worked out by hand.

Borrower 1 (olena):
- credit 10: issued 10.01.2026, due 09.02.2026, returned 05.02.2026, body 1000.00, interest 150.00;
  repaid 20.01 body 400.00, 05.02 body 600.00 and interest 150.00 → closed, total repaid 1150.00.
- credit 11: issued 01.02.2026, due 01.03.2026, open, body 2000.00, interest 300.00; repaid 15.02 body 500.00
  and interest 100.00, 20.03 body 250.00 → as of 15.03: body 500.00, interest 100.00, 14 days overdue.
- credit 12: issued 10.03.2026, due 09.04.2026, open, body 700.00 → nothing repaid, not overdue.
- credit 13: issued 20.03.2026 → not yet issued on 15.03.
Borrower 2 has credit 20, never shown for borrower 1.
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from lending.models import Borrower, Credit, Repayment
from planning.calendar import business_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    olena = Borrower.objects.create(id=1, login="olena", registered_on=date(2025, 12, 1))
    petro = Borrower.objects.create(id=2, login="petro", registered_on=date(2025, 12, 2))
    for number, borrower, issued, due, returned, body, interest in [
            (10, olena, date(2026, 1, 10), date(2026, 2, 9), date(2026, 2, 5), "1000.00", "150.00"),
            (11, olena, date(2026, 2, 1), date(2026, 3, 1), None, "2000.00", "300.00"),
            (12, olena, date(2026, 3, 10), date(2026, 4, 9), None, "700.00", "0.00"),
            (13, olena, date(2026, 3, 20), date(2026, 4, 19), None, "100.00", "0.00"),
            (20, petro, date(2026, 1, 5), date(2026, 2, 5), None, "5000.00", "10.00")]:
        Credit.objects.create(id=number, borrower=borrower, issued_on=issued, due_on=due, returned_on=returned,
                              body=D(body), interest=D(interest))
    for number, (credit, day, kind, amount) in enumerate([
            (10, date(2026, 1, 20), "body", "400.00"), (10, date(2026, 2, 5), "body", "600.00"),
            (10, date(2026, 2, 5), "interest", "150.00"), (11, date(2026, 2, 15), "body", "500.00"),
            (11, date(2026, 2, 15), "interest", "100.00"), (11, date(2026, 3, 20), "body", "250.00"),
            (20, date(2026, 1, 6), "body", "5000.00")], start=1):
        Repayment.objects.create(id=number, credit_id=credit, paid_on=day, type=kind, amount=D(amount))


def _get(client, path, **params):
    response = client.get(path, params)
    return response, json.loads(response.content, parse_float=D)


def test_closed_and_open_credits_as_of_a_date(api_client, viewer, book):
    api_client.force_authenticate(viewer)
    response, body = _get(api_client, "/api/v1/lending/borrowers/1/credits", date="2026-03-15")
    assert response.status_code == 200
    data = body["data"]
    assert data["borrower"] == {"id": 1, "login": "olena", "registered_on": "2025-12-01"}
    assert data["as_of"] == "2026-03-15"
    assert [row["id"] for row in data["credits"]] == [10, 11, 12]
    closed, open_, fresh = data["credits"]
    assert (closed["status"], closed["total_repaid"]) == ("closed", D("1150.00"))
    assert "days_overdue" not in closed
    assert {k: open_[k] for k in ("status", "body_repaid", "interest_repaid", "days_overdue")} == {
        "status": "open", "body_repaid": D("500.00"), "interest_repaid": D("100.00"), "days_overdue": 14}
    assert {k: fresh[k] for k in ("status", "body_repaid", "interest_repaid", "days_overdue")} == {
        "status": "open", "body_repaid": D("0.00"), "interest_repaid": D("0.00"), "days_overdue": 0}


def test_a_credit_returned_after_the_date_was_open_on_it(api_client, viewer, book):
    api_client.force_authenticate(viewer)
    _, body = _get(api_client, "/api/v1/lending/borrowers/1/credits", date="2026-02-01")
    assert [(c["id"], c["status"], c["body_repaid"], c["interest_repaid"], c["days_overdue"])
            for c in body["data"]["credits"]] == [(10, "open", D("400.00"), D("0.00"), 0),
                                                  (11, "open", D("0.00"), D("0.00"), 0)]


def test_an_unknown_borrower_is_a_404_in_the_envelope(api_client, viewer, book):
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/lending/borrowers/99/credits")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    assert response.json()["error"]["details"] == {"borrower": 99}
    assert api_client.get("/api/v1/lending/borrowers/abc/credits").json()["error"]["code"] == "NOT_FOUND"


def test_a_bad_date_is_a_400_naming_it(api_client, viewer, book):
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/lending/borrowers/1/credits", {"date": "15.03.2026"})
    assert response.status_code == 400 and "date" in response.json()["error"]["details"]


def test_today_is_the_business_time_zones_day(monkeypatch, settings):
    # 22:30 UTC on 31 March is already 1 April in Kyiv (UTC+3 in summer time).
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
    settings.PLANNING_TIME_ZONE = "Europe/Kyiv"
    assert business_today() == date(2026, 4, 1)
    settings.PLANNING_TIME_ZONE = "UTC"
    assert business_today() == date(2026, 3, 31)


def test_an_id_past_64_bits_is_an_unknown_borrower_not_a_500(api_client, viewer):
    api_client.force_authenticate(viewer)
    response = api_client.get(f"/api/v1/lending/borrowers/{2**64}/credits")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"
