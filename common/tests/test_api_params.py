"""Every list, metrics and export endpoint reads its parameters the same way (``common.api.params``):
dates strictly YYYY-MM-DD, choices from the models' choices and never empty."""

import json

import pytest

pytestmark = pytest.mark.django_db

# Every endpoint with a date parameter, with what else it needs to reach that parameter.
DATED = [
    ("/api/v1/transactions", "from_date", {}), ("/api/v1/transactions", "to_date", {}),
    ("/api/v1/export/transactions", "from_date", {"format": "csv"}),
    ("/api/v1/export/transactions", "to_date", {"format": "xlsx"}),
    ("/api/v1/metrics/overview", "from_date", {}), ("/api/v1/metrics/overview", "to_date", {}),
    ("/api/v1/metrics/by-project", "from_date", {}), ("/api/v1/metrics/by-status", "to_date", {}),
    ("/api/v1/metrics/trends", "from_date", {}), ("/api/v1/metrics/trends", "to_date", {"granularity": "hour"}),
    ("/api/v1/reconciliation/discrepancies", "from_date", {}), ("/api/v1/reconciliation/discrepancies", "to_date", {}),
    ("/api/v1/reconciliation/summary", "date", {}), ("/api/v1/export/reconciliation", "date", {"format": "csv"}),
    ("/api/v1/planning/plans-performance", "date", {}),
]
NOT_ON_SERIALIZERS = {"/api/v1/planning/plans-performance"}  # function-style helpers: an empty date is the default
# 01/12/2026 was read as 12 January by the transactions list and its export; the others are ISO 8601
# forms that Python's date.fromisoformat also takes (basic, week date), single digits, no such day, empty.
NOT_DATES = ["01/12/2026", "20260112", "2026-W03-1", "2026-1-12", "2026-02-30", "", " 2026-01-12", "２０２６-01-12"]


def _error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    return json.loads(response.content)["error"]


@pytest.mark.parametrize("url, name, extra", DATED)
@pytest.mark.parametrize("value", NOT_DATES)
def test_a_date_not_written_yyyy_mm_dd_is_a_400_everywhere(api_client, finance_admin, url, name, extra, value):
    if value == "" and url in NOT_ON_SERIALIZERS:
        pytest.skip("an empty value is the default on the function-style helpers")
    api_client.force_authenticate(finance_admin)
    error = _error(api_client.get(url, {**extra, name: value}))
    message = f"expected a date as YYYY-MM-DD, got {value!r}"
    assert error == {"code": "VALIDATION_ERROR", "message": f"{name}: {message}", "details": {name: [message]}}


@pytest.mark.parametrize("url, name, extra", DATED)
def test_a_date_outside_the_range_is_a_400_naming_the_range(api_client, finance_admin, url, name, extra):
    api_client.force_authenticate(finance_admin)
    error = _error(api_client.get(url, {**extra, name: "1969-12-31"}))
    assert error["details"] == {name: ["expected a date between 1970-01-01 and 2199-12-31, got '1969-12-31'"]}


@pytest.mark.parametrize("url, name, expected", [
    ("/api/v1/transactions", "status", "success, failed, pending, processing, refunded"),
    ("/api/v1/transactions", "source", "vima, payshack"), ("/api/v1/transactions", "sort_by", None),
    ("/api/v1/transactions", "order", "asc, desc"), ("/api/v1/export/transactions", "format", "csv, xlsx"),
    ("/api/v1/metrics/overview", "direction", "payin, payout"), ("/api/v1/metrics/trends", "granularity",
                                                                "15min, hour, day, week"),
    ("/api/v1/reconciliation/discrepancies", "review_state", "open, acknowledged, resolved"),
    ("/api/v1/reconciliation/discrepancies", "type", None), ("/api/v1/export/reconciliation", "type", None),
])
def test_an_empty_choice_is_a_400_listing_the_choices(api_client, finance_admin, url, name, expected):
    api_client.force_authenticate(finance_admin)
    extra = {"format": "csv"} if "export" in url and name != "format" else {}
    if "reconciliation" in url and "export" in url:
        extra["date"] = "2026-01-10"
    error = _error(api_client.get(url, {**extra, name: ""}))
    assert list(error["details"]) == [name] and error["details"][name][0].endswith(", got ''")
    if expected:
        assert error["details"][name] == [f"expected one of {expected}, got ''"]


def test_a_sync_trigger_with_an_empty_source_or_mode_queues_nothing(api_client, finance_admin, monkeypatch):
    from integrations.tasks import sync_provider

    queued = []
    monkeypatch.setattr(sync_provider, "delay", lambda *args, **kwargs: queued.append(args))  # counts what would
    # have gone to the broker, which is not what this test is about
    api_client.force_authenticate(finance_admin)
    for body in ({"source": ""}, {"mode": ""}, [], "vima", None):
        error = _error(api_client.post("/api/v1/sync/trigger", json.dumps(body), content_type="application/json"))
        assert error["code"] == "VALIDATION_ERROR", body
    assert queued == []


def test_the_dashboard_reads_its_filters_with_the_same_parameters(client, viewer):
    client.force_login(viewer)
    page = client.get("/admin/", {"from_date": "01/12/2026", "to_date": ""})
    assert [str(m) for m in page.context["messages"]] == [
        "Dashboard filters not applied: from_date: expected a date as YYYY-MM-DD, got '01/12/2026'"]
    assert page.context["dashboard_filters"]["from_date"] != page.context["dashboard_filters"]["to_date"]
