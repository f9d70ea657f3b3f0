"""GET /api/v1/metrics/*: shapes field by field, exact money, currencies, time zones, errors."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from analytics.models import FxRate
from conftest import build_row
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def stored():
    """Four transactions on 15–16 January, one in the period before (13–14 January)."""
    rows = [
        build_row(source="vima", project="91game", currency="INR", status="success", amount=Decimal("1000.00"),
                  created_at=at(15, 10), updated_at=at(15, 10)),
        build_row(source="vima", project="91game", currency="INR", status="failed", amount=Decimal("500.00"),
                  created_at=at(15, 11), updated_at=at(15, 11)),
        build_row(source="vima", project="monetix", currency="USD", status="success", amount=Decimal("20.00"),
                  created_at=at(15, 20), updated_at=at(15, 20)),  # 16 January 01:30 in India
        build_row(source="payshack", project="91game", currency="INR", status="pending", direction="payout",
                  amount=Decimal("300.00"), created_at=at(16, 1), updated_at=at(16, 1)),
        build_row(source="vima", project="91game", currency="INR", status="success", amount=Decimal("800.00"),
                  created_at=at(13, 9), updated_at=at(13, 9)),
    ]
    transactions_upsert(rows=rows)
    return rows


def get(client, path, **params):
    response = client.get(f"/api/v1/metrics/{path}", params)
    return response.status_code, json.loads(response.content, parse_float=Decimal)


PERIOD = {"from_date": "2026-01-15", "to_date": "2026-01-16"}


def test_overview_gives_every_figure_per_currency_when_currencies_are_mixed(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, "overview", **PERIOD)
    assert status == 200
    data = body["data"]
    assert data["period"] == {"from": "2026-01-15T00:00:00Z", "to": "2026-01-17T00:00:00Z",
                              "from_date": "2026-01-15", "to_date": "2026-01-16", "timezone": "UTC"}
    assert data["total"] == {"count": 4, "amount": None, "currency": None,
                             "by_currency": {"INR": Decimal("1800.0000"), "USD": Decimal("20.0000")}}
    assert data["by_status"]["success"] == {"count": 2, "amount": None, "currency": None,
                                            "by_currency": {"INR": Decimal("1000"), "USD": Decimal("20")}}
    assert data["by_status"]["refunded"] == {"count": 0, "amount": Decimal("0"), "currency": None, "by_currency": {}}
    assert set(data["by_status"]) == {"success", "failed", "pending", "processing", "refunded"}
    assert data["by_source"]["payshack"] == {"count": 1, "amount": Decimal("300"), "currency": "INR",
                                             "by_currency": {"INR": Decimal("300")}}
    assert data["by_direction"]["payout"]["count"] == 1
    assert data["conversion_rate"] == Decimal("0.5")
    assert data["avg_ticket"] == {"amount": None, "currency": None,
                                  "by_currency": {"INR": Decimal("500"), "USD": Decimal("10")}}
    trends = data["trends"]
    assert trends["previous_period"]["from_date"] == "2026-01-13"
    assert trends["count"] == {"previous": 1, "change_pct": Decimal("300.00")}
    assert trends["amount"]["change_pct"] is None  # mixed now, INR before: not comparable
    assert trends["conversion_rate"] == {"previous": Decimal("1"), "change_pct": Decimal("-50.00")}


def test_overview_in_a_reporting_currency_converts_each_day_with_the_stored_rate(api_client, viewer, stored):
    FxRate.objects.create(day=date(2026, 1, 1), base="USD", quote="INR", rate=Decimal("83.25"))
    FxRate.objects.create(day=date(2026, 1, 16), base="USD", quote="INR", rate=Decimal("90"))  # after the USD day
    api_client.force_authenticate(viewer)
    status, body = get(api_client, "overview", currency="INR", **PERIOD)
    assert status == 200
    assert body["data"]["total"] == {"count": 4, "amount": Decimal("3465.0000"), "currency": "INR",
                                     "by_currency": {"INR": Decimal("1800"), "USD": Decimal("20")}}
    # (3465 - 800) / 800 = 333.125%, rounded half to even
    assert body["data"]["trends"]["amount"]["change_pct"] == Decimal("333.12")


def test_a_missing_rate_is_a_400_naming_the_pair_and_day(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, "overview", currency="EUR", **PERIOD)
    assert status == 400 and body["error"]["code"] == "VALIDATION_ERROR"
    assert "no INR→EUR rate on or before 2026-01-15" in body["error"]["message"]


def test_by_project_and_by_status(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    _, projects = get(api_client, "by-project", **PERIOD)
    assert projects["data"] == [
        {"project": "91game", "count": 3, "amount": Decimal("1800"), "currency": "INR",
         "by_currency": {"INR": Decimal("1800")}, "success_count": 1, "success_amount": Decimal("1000"),
         "success_rate": Decimal("0.3333")},
        {"project": "monetix", "count": 1, "amount": Decimal("20"), "currency": "USD",
         "by_currency": {"USD": Decimal("20")}, "success_count": 1, "success_amount": Decimal("20"),
         "success_rate": Decimal("1")},
    ]
    _, statuses = get(api_client, "by-status", source="vima", **PERIOD)
    assert [(s["status"], s["count"], s["share"]) for s in statuses["data"]] == [
        ("success", 2, Decimal("0.6667")), ("failed", 1, Decimal("0.3333")), ("pending", 0, Decimal("0")),
        ("processing", 0, Decimal("0")), ("refunded", 0, Decimal("0"))]


def test_daily_trends_cut_days_in_the_asked_time_zone(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    _, utc = get(api_client, "trends", granularity="day", **PERIOD)
    _, india = get(api_client, "trends", granularity="day", timezone="Asia/Kolkata", **PERIOD)
    assert [(p["timestamp"], p["count"], p["success_count"], p["failed_count"]) for p in utc["data"]["points"]] == [
        ("2026-01-15T00:00:00Z", 3, 2, 1), ("2026-01-16T00:00:00Z", 1, 0, 0)]
    # India's 15 January starts at 18:30 UTC on the 14th; the 20:00 UTC payment is on India's 16th.
    assert [(p["timestamp"], p["count"], p["by_currency"]) for p in india["data"]["points"]] == [
        ("2026-01-14T18:30:00Z", 2, {"INR": Decimal("1500")}),
        ("2026-01-15T18:30:00Z", 2, {"INR": Decimal("300"), "USD": Decimal("20")})]


def test_hourly_and_weekly_trends(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    _, hourly = get(api_client, "trends", granularity="hour", **PERIOD)
    points = hourly["data"]["points"]
    assert len(points) == 48 and sum(p["count"] for p in points) == 4
    assert [p["timestamp"] for p in points if p["count"]] == [
        "2026-01-15T10:00:00Z", "2026-01-15T11:00:00Z", "2026-01-15T20:00:00Z", "2026-01-16T01:00:00Z"]
    _, weekly = get(api_client, "trends", granularity="week", from_date="2026-01-07", to_date="2026-01-20")
    # 7 January is a Wednesday: the first week is clipped to the period, then Mondays 12 and 19 January.
    assert [(p["timestamp"], p["count"]) for p in weekly["data"]["points"]] == [
        ("2026-01-07T00:00:00Z", 0), ("2026-01-12T00:00:00Z", 5), ("2026-01-19T00:00:00Z", 0)]


@pytest.mark.parametrize("params, field, message", [
    ({"from_date": "15-01-2026"}, "from_date", "expected a date as YYYY-MM-DD, got '15-01-2026'"),
    ({"timezone": "Mars/Olympus"}, "timezone", "expected an IANA time zone such as UTC or Asia/Kolkata, "
                                               "got 'Mars/Olympus'"),
    ({"source": "stripe"}, "source", "expected one of vima, payshack, got 'stripe'"),
    ({"currency": "rupees"}, "currency", "expected an ISO 4217 currency code such as INR, got 'rupees'"),
    ({"from_date": "2026-02-01", "to_date": "2026-01-01"}, "from_date",
     "expected a date on or before to_date (2026-01-01), got '2026-02-01'"),
])
def test_bad_parameters_name_the_field_what_was_expected_and_what_came(api_client, viewer, params, field, message):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, "overview", **params)
    assert status == 400
    assert body["error"] == {"code": "VALIDATION_ERROR", "message": f"{field}: {message}",
                             "details": {field: [message]}}


def test_too_many_trend_points_is_refused(api_client, viewer):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, "trends", granularity="hour", from_date="2025-01-01", to_date="2025-12-31")
    assert status == 400 and body["error"]["details"]["granularity"][0].startswith("expected at most 2500 points")


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get("/api/v1/metrics/overview").status_code == 401


@pytest.mark.parametrize("params", [
    {"from_date": "0001-01-01", "to_date": "0001-01-02", "timezone": "Asia/Kolkata"},
    {"from_date": "9999-12-30", "to_date": "9999-12-31"},
])
def test_dates_at_the_ends_of_the_calendar_are_a_400_not_a_crash(api_client, viewer, params):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, "trends", **params)
    assert status == 400 and "expected a date between 1970-01-01 and 2199-12-31" in body["error"]["message"]
