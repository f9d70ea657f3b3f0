from datetime import UTC, datetime
from decimal import Decimal

import pytest

from integrations.core.registry import NormalizationError
from integrations.vima.normalizer import normalize_operation


def _operation(**overrides):
    record = {
        "operation_id": "1000000007",
        "reference_id": "vref-7",
        "client_operation_id": "ord-42-7",
        "project": "91game",
        "user_id": "u77",
        "create_params": {"params": {"payment": {
            "payer": {"email": "asha@mail.example", "phone": "+919000000077",
                      "person": {"first_name": "Asha", "last_name": "Rao"}},
            "amount": {"value": 150050, "currency": "INR"},
            "client": {"country": "IN"},
            "identifiers": {"c_id": "ord-42-7"},
        }}},
        "current_status": "success",
        "payment_method_code": "upi",
        "payment_product": "payin",
        "operation_created_at": "2026-01-15T10:00:00.000000Z",
        "operation_modified_at": "2026-01-15T10:05:00.000000Z",
        "complete_amount": Decimal("1500.5"),
        "complete_currency": "INR",
        "complete_created_at": "2026-01-15T10:05:00Z",
        "card_finish": [{"charged_fee": Decimal("12.25")}, {"charged_fee": Decimal("0.75")}],
        "operation_create_id": 8,
        "operation_update_id": 8,
    }
    record.update(overrides)
    return record


def test_maps_every_documented_field():
    row = normalize_operation(_operation())
    assert (row.source, row.source_id, row.reference_id, row.client_operation_id) == ("vima", "1000000007", "vref-7",
                                                                                     "ord-42-7")
    assert (row.amount, row.currency, row.fee) == (Decimal("1500.5"), "INR", Decimal("13.00"))
    assert (row.status, row.original_status, row.direction) == ("success", "success", "payin")
    assert (row.user_id, row.user_email, row.user_phone, row.user_name, row.country) == (
        "u77", "asha@mail.example", "+919000000077", "Asha Rao", "IN")
    assert (row.payment_method, row.payment_product, row.project) == ("upi", "payin", "91game")
    assert row.created_at == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    assert row.updated_at == row.completed_at == datetime(2026, 1, 15, 10, 5, tzinfo=UTC)
    assert (row.source_create_cursor, row.source_update_cursor) == ("8", "8")
    assert row.warnings == ()


def test_amount_falls_back_to_minor_units_without_complete_amount():
    row = normalize_operation(_operation(complete_amount=None, complete_currency=None, card_finish=None))
    assert (row.amount, row.currency, row.fee) == (Decimal("1500.50"), "INR", None)


@pytest.mark.parametrize("status, expected", [("success", "success"), ("fail", "failed"), ("in_process", "pending"),
                                              ("user_input_required", "pending")])
def test_status_map(status, expected):
    assert normalize_operation(_operation(current_status=status)).status == expected


def test_unknown_status_is_pending_with_a_warning_and_kept_as_original():
    row = normalize_operation(_operation(current_status="chargeback_review"))
    assert (row.status, row.original_status) == ("pending", "chargeback_review")
    assert row.warnings == ("unknown current_status 'chargeback_review' kept as original_status and mapped to pending",)


def test_client_operation_id_falls_back_to_c_id_and_never_becomes_the_string_none():
    assert normalize_operation(_operation(client_operation_id=None)).client_operation_id == "ord-42-7"
    record = _operation(client_operation_id="None")
    record["create_params"]["params"]["payment"]["identifiers"] = {"c_id": None}
    assert normalize_operation(record).client_operation_id == ""


def test_payer_falls_back_to_contact_and_customer_account():
    record = _operation(user_id=None, contact="someone@mail.example")
    payment = record["create_params"]["params"]["payment"]
    del payment["payer"]
    payment["payer"] = {"customer_account": {"id": "acc-9"}}  # SPEC 5.1: payer.customer_account.id
    row = normalize_operation(record)
    assert (row.user_email, row.user_phone, row.user_name, row.user_id) == ("someone@mail.example", "", "", "acc-9")


@pytest.mark.parametrize("change, message", [
    ({"operation_id": None}, "operation_id is missing"),
    ({"operation_created_at": "yesterday"}, "operation_created_at 'yesterday' is not an ISO 8601 time"),
    ({"operation_created_at": "2026-01-15T10:00:00"}, "operation_created_at '2026-01-15T10:00:00' has no time zone"),
    ({"complete_amount": "12,34x"}, "complete_amount '12,34x' is not a number"),
    ({"complete_amount": 1500.5}, "complete_amount 1500.5 must be an exact number, not float"),
])
def test_bad_records_raise_an_error_naming_the_field(change, message):
    with pytest.raises(NormalizationError) as caught:
        normalize_operation(_operation(**change))
    assert str(caught.value) == message


def _documented_sample():
    """The operation as SPEC 5.1 documents it: string cursors, 8-decimal amounts, c_id a number, no user_id."""
    return {
        "operation_id": "1000000042", "reference_id": "vref-42", "client_operation_id": "ord-42-42",
        "service": "multihub-api", "service_env": "prod", "project": "91game", "project_env": "prod",
        "ip_addr": "10.0.1.2",
        "create_params": {"method": "payment.out", "service_id": 31, "params": {"payment": {
            "payer": {"email": "meera@mail.example", "phone": "+919000000123",
                      "person": {"first_name": "Meera", "last_name": "Iyer"},
                      "customer_account": {"id": "acc-123"}},
            "amount": {"value": 250075, "currency": "INR"},
            "client": {"country": "IN", "language": "en"},
            "identifiers": {"c_id": 700000042},
        }}},
        "current_status": "success", "payment_status": "success", "operation_state": "completed",
        "payment_product": "multihub-api", "payment_method_type": "fiat", "payment_method_code": "apm",
        "credentials_owner": "vima", "integration_type": "h2h",
        "operation_created_at": "2026-01-15T10:00:00.123Z", "operation_modified_at": "2026-01-15T10:02:30.456Z",
        "card_start": [{"action_id": "2000000084", "payment_id": "vpay-42", "currency": "INR",
                        "amount": Decimal("2500.75000000"), "created_at": "2026-01-15 10:00:00.123456",
                        "modified_at": "2026-01-15 10:00:00.123456"}],
        "card_finish": [{"action_id": "2000000085", "payment_id": "vpay-42", "currency": "INR",
                         "amount": Decimal("2500.75000000"), "created_at": "2026-01-15 10:00:00.123456",
                         "modified_at": "2026-01-15 10:02:30.456789", "charged_currency": "INR",
                         "charged_amount": Decimal("2500.75000000"), "charged_fee": Decimal("37.50000000"),
                         "result": "success"}],
        "complete_amount": Decimal("2500.75000000"), "complete_currency": "INR",
        "complete_created_at": "2026-01-15T10:02:30.456Z", "complete_modified_at": "2026-01-15T10:02:30.456Z",
        "operation_create_id": "1067250934146775040", "operation_update_id": "1067250934147000320",
        "payment_custom_data": {"order_ref": "ord-42-42", "channel": "web"},
    }


def test_documented_sample_becomes_the_right_unified_row():
    row = normalize_operation(_documented_sample())
    assert (row.source_id, row.client_operation_id, row.project, row.direction) == (
        "1000000042", "ord-42-42", "91game", "payout")
    assert (row.amount, row.currency, row.fee, row.status, row.original_status) == (
        Decimal("2500.75"), "INR", Decimal("37.5"), "success", "success")
    assert (row.user_id, row.user_email, row.user_phone, row.user_name, row.country) == (
        "acc-123", "meera@mail.example", "+919000000123", "Meera Iyer", "IN")
    assert (row.payment_method, row.payment_product) == ("apm", "multihub-api")
    assert row.created_at == datetime(2026, 1, 15, 10, 0, 0, 123000, tzinfo=UTC)
    assert row.updated_at == row.completed_at == datetime(2026, 1, 15, 10, 2, 30, 456000, tzinfo=UTC)
    assert (row.source_create_cursor, row.source_update_cursor) == ("1067250934146775040", "1067250934147000320")


def test_documented_sample_user_id_wins_over_the_customer_account_and_c_id_is_the_fallback_key():
    sample = _documented_sample()
    assert normalize_operation({**sample, "user_id": "u123"}).user_id == "u123"
    del sample["client_operation_id"]
    assert normalize_operation(sample).client_operation_id == "700000042"  # the JSON number, as text
    sample["create_params"]["method"] = "payment.in"
    assert normalize_operation(sample).direction == "payin"
