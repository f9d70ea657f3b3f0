"""Hostile input is a 400 in the envelope, never a 500: pages past a bigint, cursors we never issued,
bodies nested deeper or larger than any request needs, a form where JSON is expected, a period
whose first day is after its last."""

import base64
import json

import pytest

from common.api.middleware import MAX_REQUEST_URI_BYTES
from common.api.parsers import MAX_BODY_BYTES
from reconciliation.services import reconciliation_run
from reconciliation.tests.conftest import DAY, payshack_row, vima
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
DEEP = "[" * 5000 + "]" * 5000


def _error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    return json.loads(response.content)["error"]


@pytest.fixture
def result_id():
    transactions_upsert(rows=[vima("a", "1000.00"), payshack_row("a", "1001.50")])
    run = reconciliation_run(date_from=DAY.date(), date_to=DAY.date())
    return run.results.get().pk


@pytest.mark.parametrize("url", ["/api/v1/transactions", "/api/v1/reconciliation/discrepancies"])
@pytest.mark.parametrize("page", ["10000000000000000000", "1000001", "0", "-1", "1.5", "١٢", " 5", "9" * 5000])
def test_a_page_beyond_the_bound_is_a_400_naming_page(api_client, viewer, url, page):
    api_client.force_authenticate(viewer)
    error = _error(api_client.get(url, {"page": page}))
    assert error["code"] == "VALIDATION_ERROR" and list(error["details"]) == ["page"]


def test_the_deepest_page_allowed_answers_empty(api_client, viewer):
    api_client.force_authenticate(viewer)
    answer = api_client.get("/api/v1/transactions", {"page": "1000000", "limit": "100"})
    assert answer.status_code == 200 and json.loads(answer.content)["data"] == []


@pytest.mark.parametrize("values", [[None, "x"], ["2026-01-01T00:00:00Z", None], ["2026-01-01T00:00:00Z", "x"],
                                    [[1], "0190a1b2-0000-7000-8000-000000000000"], [True, "x"], {"a": 1}, [1, 2, 3]])
def test_a_cursor_we_never_issued_is_a_400(api_client, viewer, values):
    api_client.force_authenticate(viewer)
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
    error = _error(api_client.get("/api/v1/transactions", {"cursor": cursor}))
    assert error["details"] == {"cursor": ["is not a cursor this API issued"]}


def test_a_cursor_nested_deep_is_a_400(api_client, viewer):
    api_client.force_authenticate(viewer)
    # 2,500 deep (past the JSON decoder's recursion limit) still fits in the longest query string read.
    cursor = base64.urlsafe_b64encode(("[" * 2500 + "]" * 2500).encode()).decode()
    assert _error(api_client.get("/api/v1/transactions", {"cursor": cursor}))["code"] == "VALIDATION_ERROR"


def test_a_query_string_past_the_bound_is_a_414_in_the_envelope(api_client, viewer):
    api_client.force_authenticate(viewer)
    error = _error(api_client.get("/api/v1/transactions", {"search": "x" * MAX_REQUEST_URI_BYTES}), 414)
    assert error == {"code": "URI_TOO_LONG", "message": f"the path and query string are longer than "
                                                        f"{MAX_REQUEST_URI_BYTES} bytes", "details": {}}


def _bodies(result_id):
    return [("post", "/api/v1/sync/trigger"), ("post", "/api/v1/reconciliation/run"),
            ("patch", f"/api/v1/reconciliation/results/{result_id}")]


@pytest.mark.parametrize("body", [DEEP, '{"note": ' + "[" * 5000 + "]" * 5000 + "}",
                                  json.dumps({"note": "x" * (MAX_BODY_BYTES + 1)}), "NaN", '{"date": '])
def test_a_body_too_deep_too_large_or_broken_is_a_400(api_client, finance_admin, result_id, body):
    api_client.force_authenticate(finance_admin)
    for method, url in _bodies(result_id):
        error = _error(getattr(api_client, method)(url, body, content_type="application/json"))
        assert error["code"] == "VALIDATION_ERROR", (url, error)


def test_a_form_body_is_refused_and_queues_nothing(api_client, finance_admin, result_id, monkeypatch):
    from integrations.tasks import sync_provider

    queued = []
    monkeypatch.setattr(sync_provider, "delay", lambda *args, **kwargs: queued.append(args))  # the broker is not
    # what this test is about; it counts what would have been queued
    api_client.force_authenticate(finance_admin)
    for method, url in _bodies(result_id):
        answer = getattr(api_client, method)(url, {"source": "vima"}, format="multipart")
        assert _error(answer, 415)["code"] == "VALIDATION_ERROR"
    assert queued == []


def test_a_period_that_ends_before_it_starts_is_a_400_everywhere(api_client, viewer):
    api_client.force_authenticate(viewer)
    period = {"from_date": "2026-01-20", "to_date": "2026-01-10"}
    for url, extra in (("/api/v1/transactions", {}), ("/api/v1/export/transactions", {"format": "csv"}),
                       ("/api/v1/reconciliation/discrepancies", {}), ("/api/v1/metrics/overview", {})):
        error = _error(api_client.get(url, {**period, **extra}))
        assert error["details"] == {"from_date": ["expected a date on or before to_date (2026-01-10), got "
                                                  "'2026-01-20'"]}, url
