"""The Vima sandbox speaks the documented protocol (SPEC 5.1)."""

import json
from decimal import Decimal

import httpx
import pytest

from integrations.sandbox.world import COUNTRIES, CURRENCIES, FIRST_NAMES, LAST_NAMES, METHODS, PROJECTS
from integrations.vima.sandbox import cursor_id
from integrations.vima.tests.conftest import API_KEY, at


def _id(op, field):
    return int(op[field])  # cursors are strings compared as integers


@pytest.fixture
def vima(start_vima):
    settings = start_vima()
    with httpx.Client(base_url=settings.base_url) as client:
        yield client


def _get(client, **params):
    return client.get("/operation", params={"apikey": API_KEY, **params})


def test_pages_by_create_cursor_ascending_and_descending(vima):
    first = [_id(op, "operation_create_id") for op in _get(vima, count=5).json()]
    assert first == sorted(first)
    after = _get(vima, count=5, from_operation_create_id=str(first[-1])).json()
    assert _id(after[0], "operation_create_id") > first[-1]
    newest = [_id(op, "operation_create_id") for op in _get(vima, count=3, descending="true").json()]
    assert newest == sorted(newest, reverse=True)
    below = [_id(op, "operation_create_id")
             for op in _get(vima, count=3, descending="true", from_operation_create_id=str(newest[0])).json()]
    assert below == newest[1:] + below[2:] and below[0] < newest[0]


def test_filters_by_project_status_and_dates(vima, world):
    ops = _get(vima, count=100, project="monetix", status="fail", date="2026-01-11").json()
    assert ops and all(op["project"] == "monetix" and op["current_status"] == "fail" for op in ops)
    assert all(op["operation_created_at"].startswith("2026-01-11") for op in ops)
    ranged = _get(vima, count=100, **{"from": "2026-01-12", "to": "2026-01-12"}).json()
    assert ranged and all(op["operation_created_at"].startswith("2026-01-12") for op in ranged)


def test_amounts_are_minor_units_in_create_params_and_major_in_complete_amount(vima):
    success = next(op for op in _get(vima, count=100).json() if op["current_status"] == "success")
    minor = success["create_params"]["params"]["payment"]["amount"]["value"]
    assert isinstance(minor, int)
    assert success["complete_amount"] == minor / 100
    assert f'"complete_amount":{minor // 100}.{minor % 100:02d}000000' in _get(vima, count=100).text


def test_changed_operations_reappear_after_the_update_cursor(vima, world, clock):
    clock.set(at(world, 24))
    before = world.changes_before(clock.now())
    clock.set(at(world, 48))
    cursor = int(cursor_id(world.size + before))
    changes = _get(vima, count=100, from_operation_update_id=str(cursor)).json()
    assert changes and all(_id(op, "operation_update_id") > cursor for op in changes)
    assert all(_id(op, "operation_update_id") > _id(op, "operation_create_id") for op in changes)


@pytest.mark.parametrize("params, status, message", [
    ({"count": 101}, 400, "count must be between 1 and 100"),
    ({"status": "done"}, 400, "unknown status done"),
    ({"date": "15-01-2026"}, 400, "date must be YYYY-MM-DD"),
    ({"apikey": "wrong"}, 401, "invalid api key"),
])
def test_bad_requests_are_refused_with_a_reason(vima, params, status, message):
    response = _get(vima, **params)
    assert (response.status_code, response.json()) == (status, {"error": message})


def test_basic_auth_is_accepted(start_vima):
    settings = start_vima()
    response = httpx.get(settings.base_url + "/operation", params={"count": 1}, auth=("merchant", API_KEY))
    assert response.status_code == 200 and len(response.json()) == 1


def test_records_written_as_text_are_strict_json_matching_the_world(vima, world, clock):
    """The sandbox writes records as text (no encoder): every record must parse and carry the world's values."""
    seen, cursor = {}, 0
    while True:
        response = _get(vima, count=100, from_operation_update_id=cursor)
        page = json.loads(response.text, parse_float=Decimal)  # strict stdlib parser, exact numbers
        for op in page:
            seen[(_id(op, "operation_create_id") - int(cursor_id(0))) // 4096 - 1] = op
        if len(page) < 100:
            break
        cursor = page[-1]["operation_update_id"]
    expected = [i for i in range(world.size) if world.payment(i).on_vima]
    assert sorted(seen) == expected
    for index in expected[::7]:
        payment, op = world.payment(index), seen[index]
        params = op["create_params"]["params"]["payment"]
        assert (op["operation_id"], op["project"], op["current_status"], op["create_params"]["method"]) == (
            str(1_000_000_000 + index), payment.project, payment.status_at(clock.now()),
            "payment.out" if payment.direction == "payout" else "payment.in")
        assert params["amount"] == {"value": payment.amount_minor, "currency": payment.currency}
        assert op["operation_created_at"] == payment.created_at.isoformat(timespec="milliseconds")[:-6] + "Z"
        if op["current_status"] == "success":
            assert op["complete_amount"] == Decimal(payment.amount_minor).scaleb(-2)
            assert op["card_finish"][0]["charged_fee"] == Decimal(payment.fee_minor).scaleb(-2)


def test_world_strings_need_no_json_escaping():
    """What the text renderer relies on: every word the world puts in a record is plain JSON as it is."""
    words = [*FIRST_NAMES, *LAST_NAMES, *COUNTRIES.values(), *(name for name, _ in PROJECTS),
             *(code for table in CURRENCIES.values() for code, _ in table), *(name for name, _ in METHODS)]
    assert all(json.dumps(word) == f'"{word}"' for word in words)
