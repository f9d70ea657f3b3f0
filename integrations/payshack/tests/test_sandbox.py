"""The PayShack sandbox speaks SPEC 5.2: auth, paging, filters, envelopes, and what the world says."""

from datetime import date
from decimal import Decimal

import httpx
import pytest

from integrations.payshack.sandbox.ledger import CLIENT_ID, PAYIN, PAYOUT, Ledger, ist_day_bounds
from integrations.payshack.sandbox.portal import inr

from .conftest import EMAIL, PASSWORD

PAYINS = "/indigate-payin-svc/api/v1/payin/transaction/fetch"
PAYOUTS = "/indigate-payout-svc/api/v1/wallet/transactions"
LOGIN = "/indigate-user-svc/api/v1/auth/login"


@pytest.fixture
def api(payshack):
    server = payshack()
    with httpx.Client(base_url=server.url, timeout=5) as client:
        data = client.post(LOGIN, json={"email": EMAIL, "password": PASSWORD}).json()["data"]
        client.headers.update({"Authorization": f"Bearer {data['token']}", "reseller-id": data["clientId"]})
        yield client


def test_login_returns_the_documented_fields_and_a_wrong_password_is_401(payshack):
    server = payshack()
    answer = httpx.post(server.url + LOGIN, json={"email": EMAIL, "password": PASSWORD}).json()
    assert set(answer["data"]) == {"userId", "clientId", "role", "email", "secretKey", "token", "refreshToken"}
    assert answer["data"]["clientId"] == CLIENT_ID and answer["data"]["email"] == EMAIL and answer["timestamp"]
    wrong = httpx.post(server.url + LOGIN, json={"email": EMAIL, "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["message"] == "Invalid email or password"


def test_calls_need_the_bearer_token_and_the_reseller_id(payshack, api):
    assert httpx.get(api.base_url.join(PAYINS)).status_code == 401
    wrong_reseller = {**api.headers, "reseller-id": "someone-else"}
    assert httpx.get(api.base_url.join(PAYINS), headers=wrong_reseller).status_code == 403


def test_pages_cover_a_day_exactly_once_newest_first_in_the_envelope(api, world, clock):
    day = date(2026, 1, 11)
    seen, page = [], 1
    while True:
        answer = api.get(PAYINS, params={"page": page, "limit": 100, "dateFrom": day, "dateTo": day}).json()
        data = answer["data"]
        assert answer["success"] is True and data["perPage"] == 100 and data["currentPageNo"] == page
        seen += data["transactions"]
        assert data["prevPage"] == page - 1  # 0 on the first page
        if data["nextPage"] == 0:
            break
        page = data["nextPage"]
    assert len(seen) == data["totalRecords"] == Ledger(world).count(PAYIN, day, day, clock.now())
    assert len({t["txnId"] for t in seen}) == len(seen)
    created = [t["createdAt"] for t in seen]
    assert created == sorted(created, reverse=True)
    start, end = ist_day_bounds(day, day)
    assert start.strftime("%Y-%m-%dT%H:%M:%S") <= min(created) and max(created) < end.strftime("%Y-%m-%dT%H:%M:%S")


def test_payouts_leave_success_out_of_the_envelope(api):
    answer = api.get(PAYOUTS, params={"page": 1, "limit": 5}).json()
    assert "success" not in answer and answer["statusCode"] == 200 and answer["data"]["transactions"]
    assert {"beneName", "beneAccount", "beneIfsc", "txnCharges", "netAmount"} <= set(answer["data"]["transactions"][0])


def test_filters_by_order_id_transaction_id_and_status(api, world):
    duplicate = next(i for i in range(world.size) if world.payment(i).presence == "duplicate"
                     and world.payment(i).direction == "payin")
    twice = api.get(PAYINS, params={"orderId": f"ord-42-{duplicate}"}).json()["data"]["transactions"]
    assert len(twice) == 2 and twice[0]["orderId"] == twice[1]["orderId"] and twice[0]["txnId"] != twice[1]["txnId"]
    one = api.get(PAYINS, params={"transactionId": twice[0]["txnId"]}).json()["data"]["transactions"]
    assert [t["txnId"] for t in one] == [twice[0]["txnId"]]
    failed = api.get(PAYINS, params={"status": "failed", "limit": 100}).json()["data"]["transactions"]
    assert failed and {t["txnStatus"].lower() for t in failed} == {"failed"}


@pytest.mark.parametrize("params", [{"limit": 101}, {"page": 0}, {"dateFrom": "11/01/2026"}, {"limit": "x"}])
def test_bad_parameters_are_400_with_the_reason(api, params):
    answer = api.get(PAYINS, params=params)
    assert answer.status_code == 400 and answer.json()["success"] is False and answer.json()["message"]


def test_the_portal_writes_rupees_the_indian_way():
    assert [inr(Decimal(v)) for v in ("123456.5", "1234.5", "999", "12345678.9")] == [
        "₹1,23,456.50", "₹1,234.50", "₹999.00", "₹1,23,45,678.90"]


def test_the_portal_needs_a_login_and_its_html_holds_no_rows(payshack):
    server = payshack()
    with httpx.Client(base_url=server.url) as browserless:
        assert browserless.get("/portal/payins").headers["location"] == "/portal/login"
        signed_in = browserless.post("/portal/login", data={"email": EMAIL, "password": PASSWORD})
        assert signed_in.status_code == 302 and "ps_portal" in signed_in.headers["set-cookie"]
        page = browserless.get("/portal/payins").text
        assert '<table id="transactions">' in page and "<td>" not in page  # rows come from the script only
        feed = browserless.get("/portal/feed/payins", params={"limit": 10}).json()
        assert feed["columns"][1] == "Order ID" and feed["rows"][0][8].startswith("₹")


def test_kinds_split_the_91game_world_between_payins_and_payouts(world, clock):
    ledger = Ledger(world)
    payins, payouts = (ledger.count(kind, None, None, clock.now()) for kind in (PAYIN, PAYOUT))
    on_payshack = sum(1 + (p.presence == "duplicate") for p in map(world.payment, range(world.size))
                      if p.project == "91game" and p.on_payshack)
    assert payins + payouts == on_payshack and payouts > 0
