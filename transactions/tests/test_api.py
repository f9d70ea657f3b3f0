"""GET /api/v1/transactions and /transactions/{id}: filters, search, sorting, paging, exact money."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from conftest import build_row
from transactions.models import Transaction
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
URL = "/api/v1/transactions"
DAY = datetime(2026, 3, 10, tzinfo=UTC)


@pytest.fixture
def stored():
    rows = [build_row(source_id=f"v{i}", created_at=DAY + timedelta(hours=i), updated_at=DAY + timedelta(hours=i),
                      amount=Decimal("100.10") + i, status="success" if i % 3 else "failed",
                      project="91game" if i % 2 else "monetix", utr=f"UTR{i}", user_email=f"Payer{i}@Example.com")
            for i in range(30)]
    rows.append(build_row(source="payshack", source_id="P1", order_id="ord-7", created_at=DAY, updated_at=DAY,
                          amount=Decimal("123456.50"), raw_data={"txnId": "P1", "amount": Decimal("123456.5")}))
    transactions_upsert(rows=rows)
    return rows


def get(client, **params):
    response = client.get(URL, params)
    return response.status_code, json.loads(response.content)


def test_the_list_answers_in_the_envelope_newest_first(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, limit=10)
    assert status == 200
    assert {key: body["meta"][key] for key in ("page", "limit", "total", "total_pages")} == {
        "page": 1, "limit": 10, "total": 31, "total_pages": 4}
    assert body["meta"]["next_cursor"]
    created = [row["created_at"] for row in body["data"]]
    assert created == sorted(created, reverse=True) and created[0] == "2026-03-11T05:00:00Z"


def test_amounts_are_exact_json_numbers(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    raw = api_client.get(URL, {"search": "ord-7"}).content
    assert b'"amount":123456.5000' in raw
    assert json.loads(raw, parse_float=Decimal)["data"][0]["amount"] == Decimal("123456.50")


def test_the_list_rows_are_exactly_what_the_serializer_documents(api_client, viewer, stored):
    """The list writes rows straight from the database (see ``_rows``); the bytes must be the ones
    TransactionSerializer (the documented contract) would give, microseconds and nulls included."""
    from common.api.renderers import ExactJSONRenderer
    from transactions.api.serializers import TransactionSerializer

    Transaction.objects.filter(source_id="v3").update(created_at=DAY + timedelta(hours=3, microseconds=120),
                                                      completed_at=DAY)
    api_client.force_authenticate(viewer)
    listed = json.loads(api_client.get(URL, {"limit": 100}).content, parse_float=str)["data"]  # numbers as written
    documented = TransactionSerializer(Transaction.objects.order_by("-created_at", "-id"), many=True).data
    assert listed == json.loads(ExactJSONRenderer().render(documented), parse_float=str)
    assert len(listed) == 31


@pytest.mark.parametrize("params, expected", [
    ({"source": "payshack"}, 1), ({"project": "monetix"}, 15), ({"status": "failed"}, 10),
    ({"from_date": "2026-03-11"}, 6), ({"to_date": "2026-03-10"}, 25),
    ({"from_date": "2026-03-10", "to_date": "2026-03-10", "status": "success", "source": "vima"}, 16),
    ({"search": "UTR7"}, 1), ({"search": "ord-7"}, 1), ({"search": "payer3@example.com"}, 1), ({"search": "v12"}, 1),
])
def test_filters_and_search(api_client, viewer, stored, params, expected):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, **params)
    assert status == 200 and body["meta"]["total"] == expected == len(body["data"])


def test_search_by_id_and_the_detail_adds_raw_data(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    pk = Transaction.objects.get(source_id="P1").pk
    assert get(api_client, search=str(pk))[1]["meta"]["total"] == 1
    detail = json.loads(api_client.get(f"{URL}/{pk}").content, parse_float=Decimal)["data"]
    assert detail["raw_data"] == {"txnId": "P1", "amount": "123456.5"} and detail["source_id"] == "P1"
    assert "raw_data" not in get(api_client, search="P1")[1]["data"][0]


def test_sorting_by_amount_ascending_and_a_cursor_walks_every_row_once(api_client, viewer, stored):
    api_client.force_authenticate(viewer)
    seen, cursor = [], None
    while True:
        params = {"sort_by": "amount", "order": "asc", "limit": 7, **({"cursor": cursor} if cursor else {})}
        status, body = get(api_client, **params)
        assert status == 200
        seen += [Decimal(str(row["amount"])) for row in body["data"]]
        cursor = body["meta"]["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 31 and seen == sorted(seen)


@pytest.mark.parametrize("params, field", [
    ({"limit": 101}, "limit"), ({"page": 0}, "page"), ({"sort_by": "raw_data"}, "sort_by"), ({"order": "up"}, "order"),
    ({"status": "lost"}, "status"), ({"from_date": "2026-13-45"}, "from_date"), ({"cursor": "garbage"}, "cursor"),
])
def test_a_wrong_parameter_is_a_400_naming_it(api_client, viewer, stored, params, field):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, **params)
    assert status == 400 and body["error"]["code"] == "VALIDATION_ERROR" and field in body["error"]["details"]


def test_unknown_id_is_404_and_anonymous_is_401(api_client, viewer):
    assert api_client.get(URL).status_code == 401
    api_client.force_authenticate(viewer)
    missing = api_client.get(f"{URL}/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and json.loads(missing.content)["error"]["code"] == "NOT_FOUND"


def test_a_date_beyond_the_calendar_is_a_400_naming_the_bounds(api_client, viewer):
    api_client.force_authenticate(viewer)
    status, body = get(api_client, to_date="9999-12-31")
    assert status == 400
    assert body["error"]["details"] == {"to_date": ["expected a date between 1970-01-01 and 2199-12-31, "
                                                    "got '9999-12-31'"]}
    status, body = get(api_client, from_date="15-01-2026")
    assert body["error"]["message"] == "from_date: expected a date as YYYY-MM-DD, got '15-01-2026'"
