"""The PayShack normalizer: SPEC 5.2's maps, rupees the Indian way, IST → UTC, one row for both paths."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from integrations.core.registry import NormalizationError
from integrations.payshack.normalizer import normalize_transaction, parse_rupees
from integrations.payshack.portal import HEADERS
from integrations.payshack.sandbox.ledger import PAYIN, PAYOUT, Ledger, render_txn
from integrations.payshack.sandbox.portal import COLUMNS, column_value, display
from integrations.sandbox.world import World

CONTEXT = {"projects": {"91G_TECH_PVT_LTD": "91game"}}
API_PAYIN = {
    "txnId": "PI000000042", "orderId": "ord-42-42", "spTxnId": "SP00000000420", "amount": Decimal("123456.5"),
    "utr": "412345678901", "txnStatus": "SUCCESS", "clientName": "91G_TECH_PVT_LTD", "clientId": "CL91G0001",
    "transactionType": "UPI", "createdAt": "2026-11-21T18:50:00.000Z", "modifiedAt": "2026-11-21T18:51:10.000Z",
    "completedAt": "2026-11-21T18:51:10.000Z", "paidAmount": Decimal("123456.5"),
    "totalCommissionAmount": Decimal("2469.13"), "payerVpa": "asha.rao7@okaxis",
}


def test_an_api_payin_maps_every_field():
    row = normalize_transaction(API_PAYIN, CONTEXT)
    assert (row.source, row.source_id, row.order_id, row.client_operation_id) == (
        "payshack", "PI000000042", "ord-42-42", "ord-42-42")
    assert (row.project, row.merchant_id, row.reference_id) == ("91game", "CL91G0001", "SP00000000420")
    assert (row.amount, row.fee, row.currency) == (Decimal("123456.5"), Decimal("2469.13"), "INR")
    assert (row.status, row.original_status, row.direction) == ("success", "SUCCESS", "payin")
    assert (row.utr, row.user_id, row.payment_method) == ("412345678901", "asha.rao7@okaxis", "upi")
    assert row.created_at == datetime(2026, 11, 21, 18, 50, tzinfo=UTC)
    assert row.completed_at == datetime(2026, 11, 21, 18, 51, 10, tzinfo=UTC)


def test_a_portal_row_of_the_same_payin_gives_the_same_row_and_hash():
    portal = {**API_PAYIN, "amount": "₹1,23,456.50", "paidAmount": "₹1,23,456.50",
              "totalCommissionAmount": "₹2,469.13", "createdAt": "22-11-2026 00:20:00",
              "modifiedAt": "22-11-2026 00:21:10", "completedAt": "22-11-2026 00:21:10"}
    api_row, portal_row = normalize_transaction(API_PAYIN, CONTEXT), normalize_transaction(portal, CONTEXT)
    assert portal_row == api_row
    assert portal_row.data_hash == api_row.data_hash


def test_a_payment_at_00_20_ist_lands_on_the_previous_utc_day():
    row = normalize_transaction({**API_PAYIN, "createdAt": "22-11-2026 00:20:00"}, CONTEXT)
    assert row.created_at == datetime(2026, 11, 21, 18, 50, tzinfo=UTC)
    assert row.created_at.date() == date(2026, 11, 21)


@pytest.mark.parametrize("written, amount", [
    ("₹1,23,456.50", Decimal("123456.50")), ("₹1,234.50", Decimal("1234.50")),
    ("₹12,34,56,789.00", Decimal("123456789")),
    ("₹0.00", Decimal("0")), ("1,234,567.5", Decimal("1234567.5")), ("-₹1,500.00", Decimal("-1500")),
    (Decimal("99.9"), Decimal("99.9")), (150, Decimal("150")),
])
def test_rupee_amounts_as_either_path_writes_them(written, amount):
    assert parse_rupees(written) == amount


@pytest.mark.parametrize("written", ["₹1,2,3", "₹12,34", "twelve", "₹", 1.5])
def test_a_malformed_amount_is_refused_with_its_value(written):
    with pytest.raises(NormalizationError, match="amount"):
        parse_rupees(written)


@pytest.mark.parametrize("word, status", [
    ("success", "success"), ("SUCCESS", "success"), ("Failed", "failed"), ("TAMPERED", "failed"),
    ("initiated", "pending"), ("PENDING", "pending"), ("Incomplete", "pending"), ("In Process", "processing"),
    ("REFUNDED", "refunded"), ("cb_refunded", "refunded"),
])
def test_statuses_map_case_insensitively(word, status):
    row = normalize_transaction({**API_PAYIN, "txnStatus": word}, CONTEXT)
    assert (row.status, row.original_status, row.warnings) == (status, word, ())


def test_an_unknown_status_is_kept_mapped_to_pending_and_warned():
    row = normalize_transaction({**API_PAYIN, "txnStatus": "ON_HOLD"}, CONTEXT)
    assert row.status == "pending" and row.original_status == "ON_HOLD"
    assert "ON_HOLD" in row.warnings[0]


def test_a_client_without_a_project_mapping_is_refused_by_name():
    with pytest.raises(NormalizationError, match="no project mapping for PayShack client 'NEW_CLIENT'"):
        normalize_transaction({**API_PAYIN, "clientName": "NEW_CLIENT"}, CONTEXT)


@pytest.mark.parametrize("broken, field", [({"txnId": None}, "txnId"), ({"amount": "—"}, "amount"),
                                           ({"createdAt": "yesterday"}, "createdAt")])
def test_a_broken_record_names_its_field(broken, field):
    with pytest.raises(NormalizationError, match=field):
        normalize_transaction({**API_PAYIN, **broken}, CONTEXT)


def test_a_payout_is_recognised_by_its_beneficiary_fields():
    payout = {**API_PAYIN, "txnId": "PO1", "beneName": "Ravi Iyer", "beneAccount": "50100000123",
              "beneIfsc": "HDFC0001", "txnCharges": Decimal("12.5"), "netAmount": Decimal("123444"),
              "transactionType": "IMPS"}
    del payout["totalCommissionAmount"], payout["payerVpa"]
    row = normalize_transaction(payout, CONTEXT)
    assert (row.direction, row.fee, row.user_name, row.user_id) == ("payout", Decimal("12.5"), "Ravi Iyer",
                                                                    "50100000123")


@pytest.mark.parametrize("kind", [PAYIN, PAYOUT])
def test_every_sandbox_transaction_reads_alike_through_api_and_portal(kind):
    """The sandbox's API record and its portal row (as the browser client keys it) normalize identically."""
    world = World(seed=7, size=600, start=date(2026, 3, 1), days=2)
    now = world.end + timedelta(days=1)
    header_field = {header: field for header, field in HEADERS[kind].items()}
    compared = 0
    for txn in Ledger(world).txns(kind, None, None, now):
        api = json.loads(json.dumps(render_txn(txn, now)), parse_float=Decimal)  # as the client reads the wire
        portal = {header_field[header]: display(column_value(api, field), field)
                  for header, field in COLUMNS[kind]}
        api_row, portal_row = normalize_transaction(api, CONTEXT), normalize_transaction(portal, CONTEXT)
        assert (portal_row, portal_row.data_hash) == (api_row, api_row.data_hash), txn.txn_id
        compared += 1
    assert compared > 20
