"""Payment volumes: pay-in and pay-out volume plans against the successful transactions of the rollups.

Business time zone Europe/Kyiv (UTC+2 in winter). Transactions (through the write path, so rollups follow):
- 91game pay-in success 1000.00 UAH on 10.01 10:00 UTC → January;
- 91game pay-in success 500.25 UAH on 31.01 22:30 UTC = 01.02 00:30 in Kyiv → February;
- 91game pay-in failed 700.00 UAH on 12.01 → not counted;
- 91game pay-out success 300.00 UAH on 15.01 → January, no plan: listed, unplanned;
- 91game pay-in success 50.00 USD on 20.01 → January in USD, no plan in USD: listed, unplanned;
- bingo pay-in success 999.00 UAH on 05.01.
Plans: 91game pay-in Jan 2000.00 UAH (50.00 %), Feb 250.00 UAH (200.10 %), pay-out Mar 100.00 UAH (0.00 %);
bingo pay-in Jan 1000.00 UAH (99.90 %).
"""

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from rest_framework.authtoken.models import Token

from common.models import TokenProjectLimit
from conftest import build_row
from planning import selectors
from planning.models import Category, Plan
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db


def _at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def volumes(settings):
    settings.PLANNING_TIME_ZONE = "Europe/Kyiv"
    rows = [("91game", "payin", "success", "1000.00", "UAH", _at(1, 10, 10)),
            ("91game", "payin", "success", "500.25", "UAH", _at(1, 31, 22, 30)),
            ("91game", "payin", "failed", "700.00", "UAH", _at(1, 12, 9)),
            ("91game", "payout", "success", "300.00", "UAH", _at(1, 15, 9)),
            ("91game", "payin", "success", "50.00", "USD", _at(1, 20, 9)),
            ("bingo", "payin", "success", "999.00", "UAH", _at(1, 5, 9))]
    transactions_upsert(rows=[build_row(project=project, direction=direction, status=status, amount=D(amount),
                                        currency=currency, created_at=at, updated_at=at)
                              for project, direction, status, amount, currency, at in rows])
    payin, payout = Category.objects.get(code="payin_volume"), Category.objects.get(code="payout_volume")
    for project, month, category, amount in [("91game", 1, payin, "2000.00"), ("91game", 2, payin, "250.00"),
                                             ("91game", 3, payout, "100.00"), ("bingo", 1, payin, "1000.00")]:
        Plan.objects.create(month=date(2026, month, 1), category=category, project=project, amount=D(amount),
                            currency="UAH")


def test_volumes_per_month_project_direction_and_currency(volumes):
    rows = selectors.payment_volumes(year=2026, projects=frozenset({"91game"}))
    assert [(r["month"].month, r["direction"], r["currency"], r["plan"], r["count"], r["sum"], r["performance"],
             r["unplanned"]) for r in rows] == [
        (1, "payin", "UAH", D("2000.00"), 1, D("1000.00"), D("50.00"), False),
        (1, "payin", "USD", None, 1, D("50.00"), None, True),
        (1, "payout", "UAH", None, 1, D("300.00"), None, True),
        (2, "payin", "UAH", D("250.00"), 1, D("500.25"), D("200.10"), False),
        (3, "payout", "UAH", D("100.00"), 0, D("0.00"), D("0.00"), False)]
    assert rows[0]["category"] == "payin_volume" and rows[4]["category"] == "payout_volume"


def test_every_project_when_none_is_named(volumes):
    rows = selectors.payment_volumes(year=2026, projects=None)
    assert [(r["project"], r["sum"], r["performance"]) for r in rows if r["project"] == "bingo"] == [
        ("bingo", D("999.00"), D("99.90"))]
    assert len(rows) == 6


def test_the_api_answers_only_a_limited_tokens_projects(api_client, viewer, volumes):
    token = Token.objects.create(user=viewer)
    TokenProjectLimit.objects.create(token=token, project="bingo")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/planning/payment-volumes", {"year": "2026"})
    assert response.status_code == 200
    data = json.loads(response.content, parse_float=D)["data"]
    assert [(r["project"], r["sum"]) for r in data] == [("bingo", D("999.00"))]
    refused = api_client.get("/api/v1/planning/payment-volumes", {"year": "2026", "project": "91game"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "PERMISSION_DENIED"
