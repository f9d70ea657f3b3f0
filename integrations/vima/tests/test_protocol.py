"""The Vima sandbox's answers hold to the documented shapes of SPEC 5.1, field by field: names, JSON types,
formats. A change to the sandbox that departs from the documentation fails here."""

import json
import re
from decimal import Decimal

import httpx
import pytest

from integrations.vima.tests.conftest import API_KEY

CURSOR = re.compile(r"^\d{19}$")
ISO_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
CARD_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$")
EIGHT_DECIMALS = re.compile(r"^\d+\.\d{8}$")
ALWAYS = {"operation_id": str, "reference_id": str, "service": str, "service_env": str, "project": str,
          "project_env": str, "ip_addr": str, "create_params": dict, "current_status": str, "operation_state": str,
          "payment_product": str, "payment_method_type": str, "payment_method_code": str, "credentials_owner": str,
          "integration_type": str, "operation_created_at": str, "operation_modified_at": str, "card_start": list,
          "operation_create_id": str, "operation_update_id": str, "payment_custom_data": dict}
SOMETIMES = {"client_operation_id": str, "user_id": str, "contact": str, "payment_status": str,
             "complete_amount": Decimal, "complete_currency": str, "complete_created_at": str,
             "complete_modified_at": str, "card_finish": list}
CARD = {"action_id": str, "payment_id": str, "currency": str, "amount": Decimal, "created_at": str, "modified_at": str}
CARD_FINISH = {**CARD, "charged_currency": str, "charged_amount": Decimal, "charged_fee": Decimal, "result": str}


@pytest.fixture
def operations(start_vima):
    settings = start_vima()
    with httpx.Client(base_url=settings.base_url) as client:
        text = client.get("/operation", params={"apikey": API_KEY, "count": 100}).text
    return text, json.loads(text, parse_float=Decimal)


def _types(record: dict, expected: dict, where: str) -> None:
    for name, kind in expected.items():
        if name in record:
            assert type(record[name]) is kind, f"{where}.{name} is {type(record[name]).__name__}, not {kind.__name__}"


def test_every_operation_has_the_documented_fields_with_their_json_types(operations):
    _, ops = operations
    for op in ops:
        assert set(ALWAYS) <= set(op) and set(op) <= set(ALWAYS) | set(SOMETIMES), sorted(set(op) ^ set(ALWAYS))
        _types(op, {**ALWAYS, **SOMETIMES}, "operation")
        assert op["service"] == op["payment_product"] == "multihub-api" and op["payment_method_type"] == "fiat"
        assert re.match(r"^\d+\.\d+\.\d+\.\d+$", op["ip_addr"])
        assert op["current_status"] in ("success", "fail", "in_process", "user_input_required")
        assert op.get("payment_status", op["current_status"]) == op["current_status"]
    assert {"payment_status" in op for op in ops} == {True, False}  # documented as not in every record


def test_cursors_are_19_digit_strings_and_times_iso_with_milliseconds(operations):
    _, ops = operations
    for op in ops:
        assert CURSOR.match(op["operation_create_id"]) and CURSOR.match(op["operation_update_id"])
        for name in ("operation_created_at", "operation_modified_at", "complete_created_at", "complete_modified_at"):
            assert name not in op or ISO_MS_Z.match(op[name]), (name, op[name])
    creates = [int(op["operation_create_id"]) for op in ops]
    assert creates == sorted(creates) and int(ops[0]["operation_create_id"]) > 2**63 // 10


def test_create_params_hold_method_service_id_payer_and_identifiers(operations):
    _, ops = operations
    for op in ops:
        create = op["create_params"]
        assert create["method"] in ("payment.in", "payment.out") and type(create["service_id"]) is int
        payment = create["params"]["payment"]
        assert type(payment["amount"]["value"]) is int and type(payment["amount"]["currency"]) is str
        assert set(payment["client"]) == {"country", "language"}
        assert type(payment["payer"]["customer_account"]["id"]) is str
        assert "customer" not in payment
        if "email" in payment["payer"]:
            assert set(payment["payer"]["person"]) == {"first_name", "last_name"}
    c_ids = [op["create_params"]["params"]["payment"]["identifiers"].get("c_id") for op in ops
             if "client_operation_id" in op]
    assert c_ids and all(type(c_id) is int for c_id in c_ids)  # a JSON number, as in the documented sample


def test_cards_carry_every_documented_field_with_microsecond_times_and_8_decimal_amounts(operations):
    text, ops = operations
    for op in ops:
        for card in op["card_start"]:
            assert set(card) == set(CARD)
            _types(card, CARD, "card_start[]")
        for card in op.get("card_finish", []):
            assert set(card) == set(CARD_FINISH)
            _types(card, CARD_FINISH, "card_finish[]")
        for card in (*op["card_start"], *op.get("card_finish", [])):
            assert CARD_TIME.match(card["created_at"]) and CARD_TIME.match(card["modified_at"])
    assert any("complete_amount" in op for op in ops)
    numbers = re.findall(r'"(?:complete_amount|amount|charged_amount|charged_fee)":([0-9.]+)', text)
    assert numbers and all(EIGHT_DECIMALS.match(number) for number in numbers)


def test_a_cursor_filter_takes_the_documented_string_ids(start_vima):
    settings = start_vima()
    with httpx.Client(base_url=settings.base_url) as client:
        first = client.get("/operation", params={"apikey": API_KEY, "count": 3}).json()
        after = client.get("/operation", params={"apikey": API_KEY, "count": 3,
                                                 "from_operation_create_id": first[0]["operation_create_id"]}).json()
        updated = client.get("/operation", params={"apikey": API_KEY, "count": 3,
                                                   "from_operation_update_id": first[0]["operation_update_id"]}).json()
    assert [op["operation_id"] for op in after] == [op["operation_id"] for op in first[1:]] + [after[2]["operation_id"]]
    assert all(int(op["operation_update_id"]) > int(first[0]["operation_update_id"]) for op in updated)
