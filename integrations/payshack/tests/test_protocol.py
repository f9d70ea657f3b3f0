"""The PayShack sandbox's answers hold to the documented shapes of SPEC 5.2, field by field (names, JSON
types, formats), and the client reads the documented sample records and metadata into the right rows."""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from integrations.payshack.client import PayShackClient, PayShackCredentials
from integrations.payshack.metadata import accounts_from, read_accounts
from integrations.payshack.normalizer import normalize_transaction

from .conftest import EMAIL, PASSWORD

LOGIN = "/indigate-user-svc/api/v1/auth/login"
PAYINS = "/indigate-payin-svc/api/v1/payin/transaction/fetch"
PAYOUTS = "/indigate-payout-svc/api/v1/wallet/transactions"
CORE = "/indigate-core-svc/api/v1"
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$")
NUMBER = (int, Decimal)
PAGING = {"transactions": list, "totalRecords": int, "perPage": int, "totalPages": int, "currentPageNo": int,
          "prevPage": int, "nextPage": int}
COMMON = {"orderId": str, "spTxnId": str, "amount": NUMBER, "txnStatus": str, "clientName": str, "clientId": str,
          "resellerId": str, "resellerName": str, "transactionType": str, "paymentMode": str, "createdAt": str,
          "modifiedAt": str}
PAYIN_FIELDS = {**COMMON, "_id": int, "txnId": str, "paidAmount": NUMBER, "totalCommissionAmount": NUMBER,
                "upiId": str, "payerVpa": str, "payerName": str, "payerPhone": str}
PAYOUT_FIELDS = {**COMMON, "_id": int, "beneName": str, "beneAccount": str, "beneIfsc": str, "beneEmail": str,
                 "benePhone": str, "txnCharges": NUMBER, "netAmount": NUMBER}
NULLABLE = {"utr": str, "rrn": str, "completedAt": str}
CONTEXT = {"projects": {"91G_TECH_PVT_LTD": "91game"}}


@pytest.fixture
def api(payshack):
    server = payshack()
    with httpx.Client(base_url=server.url, timeout=5) as client:
        login = client.post(LOGIN, json={"email": EMAIL, "password": PASSWORD}).json()
        client.headers.update({"Authorization": f"Bearer {login['data']['token']}",
                               "reseller-id": login["data"]["clientId"]})
        client.login = login
        yield client


def _get(client, path, **params):
    return json.loads(client.get(path, params=params).text, parse_float=Decimal)


def _check(record: dict, expected: dict, where: str) -> None:
    for name, kind in expected.items():
        assert name in record, f"{where} lacks {name}"
        assert isinstance(record[name], kind) and not isinstance(record[name], bool), (where, name, record[name])
    for name, kind in NULLABLE.items():
        if name in record and record[name] is not None:
            assert isinstance(record[name], kind), (where, name)


def test_login_answers_the_documented_envelope(api):
    login = api.login
    assert set(login) == {"timestamp", "statusCode", "status", "message", "success", "data"}
    assert ISO_Z.match(login["timestamp"]) and login["statusCode"] == 200 and login["success"] is True
    assert set(login["data"]) == {"userId", "clientId", "role", "email", "secretKey", "token", "refreshToken"}
    assert all(isinstance(value, str) and value for value in login["data"].values())
    assert login["data"]["email"] == EMAIL and login["data"]["userId"] != login["data"]["clientId"]


def test_payins_carry_every_documented_field_and_paging_starts_at_prev_page_0(api):
    first = _get(api, PAYINS, page=1, limit=100)
    assert first["success"] is True and ISO_Z.match(first["timestamp"])
    data = first["data"]
    _check(data, PAGING, "paging")
    assert (data["prevPage"], data["currentPageNo"], data["nextPage"]) == (0, 1, 2)
    for txn in data["transactions"]:
        _check(txn, PAYIN_FIELDS, "pay-in")
        assert txn["transactionType"] in ("UPI_INTENT", "UPI_COLLECT", "IMPS")
        assert txn["paymentMode"] in ("UPI", "IMPS", "NEFT")
        assert ISO_Z.match(txn["createdAt"]) and ISO_Z.match(txn["modifiedAt"])
    assert {txn["transactionType"] for txn in data["transactions"]} == {"UPI_INTENT", "UPI_COLLECT"}
    last = _get(api, PAYINS, page=data["totalPages"], limit=100)["data"]
    assert (last["prevPage"], last["nextPage"]) == (data["totalPages"] - 1, 0)


def test_payouts_carry_txn_id_or_transaction_id_and_their_envelope_leaves_success_out(api):
    answer = _get(api, PAYOUTS, page=1, limit=100)
    assert "success" not in answer and answer["statusCode"] == 200 and answer["status"] == "OK"
    txns = answer["data"]["transactions"]
    for txn in txns:
        _check(txn, PAYOUT_FIELDS, "pay-out")
        assert ("txnId" in txn) != ("transactionId" in txn)
        assert "@" in txn["beneEmail"] and txn["benePhone"].startswith("+91")
    assert {"txnId" in txn for txn in txns} == {True, False}  # the sandbox serves both documented names


def test_metadata_lives_on_the_core_service_with_data_as_a_list_and_as_an_object(api):
    clients = _get(api, f"{CORE}/client/fetch-all-client")["data"]
    assert isinstance(clients, list)
    for client in clients:
        assert {"clientId", "status", "createdAt"} <= set(client)
        assert ("name" in client) != ("companyName" in client)
        assert ("balance" in client) != ("walletBalance" in client)
        assert isinstance(client.get("balance", client.get("walletBalance")), NUMBER)
    resellers = _get(api, f"{CORE}/reseller/fetch-all-reseller")["data"]
    sps = _get(api, f"{CORE}/service-provider/fetch-all-sp")["data"]
    assert isinstance(resellers, dict) and [type(v) for v in resellers.values()] == [list]
    assert isinstance(sps, dict) and [type(v) for v in sps.values()] == [list]
    assert api.get("/indigate-user-svc/api/v1/clients").status_code == 404  # the invented path is gone


def test_the_client_reads_the_metadata_through_both_containers(payshack):
    server = payshack()
    client = PayShackClient(api_url=server.url, credentials=PayShackCredentials(EMAIL, PASSWORD), timeout_s=5)
    records = read_accounts(client)
    kinds = sorted(record.kind for record in records)
    assert kinds == ["client"] * 3 + ["reseller"] * 2 + ["service_provider"] * 3
    names = {record.external_id: (record.name, record.balance) for record in records if record.kind == "client"}
    assert names["CLZEN0002"] == ("ZEN_RETAIL_LLP", Decimal("184250.75"))
    assert names["CLARC0003"] == ("ARCADIA_GAMES_PVT_LTD", Decimal("0.0"))
    assert names["CL91G0001"][0] == "91G_TECH_PVT_LTD" and names["CL91G0001"][1] > 0


def test_documented_metadata_spellings_read_alike():
    spelled = [{"clientId": "C1", "name": "A", "balance": 10}, {"clientId": "C2", "companyName": "B",
                                                                 "walletBalance": Decimal("2.50")}]
    records = accounts_from(spelled, [], [])
    assert [(r.external_id, r.name, r.balance) for r in records] == [("C1", "A", 10), ("C2", "B", Decimal("2.50"))]


DOCUMENTED_PAYIN = {
    "_id": 48213, "txnId": "PI000004821", "orderId": "ord-42-4821", "spTxnId": "SP00000048210",
    "amount": Decimal("1500.5"), "paidAmount": Decimal("1500.5"), "totalCommissionAmount": Decimal("22.51"),
    "utr": "412345678901", "rrn": "412345678901", "txnStatus": "SUCCESS", "clientName": "91G_TECH_PVT_LTD",
    "clientId": "CL91G0001", "resellerId": "RS0001", "resellerName": "Indigate Direct", "upiId": "91gtech@axisbank",
    "transactionType": "UPI_COLLECT", "paymentMode": "UPI", "payerVpa": "asha.rao77@okaxis", "payerName": "Asha Rao",
    "payerPhone": "+919000000077", "createdAt": "2026-01-15T10:00:00.000Z", "modifiedAt": "2026-01-15T10:01:00.000Z",
    "completedAt": "2026-01-15T10:01:00.000Z",
}
DOCUMENTED_PAYOUT = {
    "transactionId": "PO000004822", "orderId": "ord-42-4822", "spTxnId": "SP00000048220", "amount": 2000,
    "txnCharges": Decimal("12.00"), "netAmount": Decimal("1988.00"), "utr": None, "txnStatus": "FAILED",
    "clientName": "91G_TECH_PVT_LTD", "clientId": "CL91G0001", "transactionType": "IMPS", "beneName": "Ravi Iyer",
    "beneAccount": "50100007919", "beneIfsc": "HDFC0001234", "beneEmail": "ravi@mail.example",
    "benePhone": "+919000000001", "createdAt": "2026-01-15T11:00:00Z", "modifiedAt": "2026-01-15T11:00:05Z",
}


def test_documented_payin_becomes_the_right_unified_row():
    row = normalize_transaction(DOCUMENTED_PAYIN, CONTEXT)
    assert (row.source_id, row.order_id, row.client_operation_id, row.reference_id) == (
        "PI000004821", "ord-42-4821", "ord-42-4821", "SP00000048210")
    assert (row.amount, row.fee, row.currency, row.status, row.direction) == (
        Decimal("1500.5"), Decimal("22.51"), "INR", "success", "payin")
    assert (row.project, row.merchant_id, row.payment_method, row.utr, row.user_id) == (
        "91game", "CL91G0001", "upi", "412345678901", "asha.rao77@okaxis")
    assert row.created_at == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    assert row.completed_at == datetime(2026, 1, 15, 10, 1, tzinfo=UTC)


def test_documented_payout_with_transaction_id_becomes_the_right_unified_row():
    row = normalize_transaction(DOCUMENTED_PAYOUT, CONTEXT)
    assert (row.source_id, row.order_id, row.direction, row.status, row.original_status) == (
        "PO000004822", "ord-42-4822", "payout", "failed", "FAILED")
    assert (row.amount, row.fee, row.payment_method, row.user_id, row.user_name) == (
        Decimal("2000"), Decimal("12.00"), "imps", "50100007919", "Ravi Iyer")
    with_txn_id = {**{k: v for k, v in DOCUMENTED_PAYOUT.items() if k != "transactionId"}, "txnId": "PO000004822"}
    assert normalize_transaction(with_txn_id, CONTEXT) == row
