"""Every list, metrics and export endpoint reads its parameters the same way (``common.api.params``):
dates strictly YYYY-MM-DD, choices from the models' choices and never empty."""

import json

import pytest

pytestmark = pytest.mark.django_db

# Every endpoint with a date parameter, with what else it needs to reach that parameter.
_STATEMENT = {"account": "1100", "currency": "INR"}
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
    ("/api/v1/export/planning/plans-performance", "date", {"format": "csv"}),
    ("/api/v1/lending/borrowers/1/credits", "date", {}),
    ("/api/v1/ledger/vouchers", "from_date", {}), ("/api/v1/ledger/vouchers", "to_date", {}),
    ("/api/v1/ledger/balances", "as_of", {}), ("/api/v1/ledger/trial-balance", "as_of", {}),
    ("/api/v1/ledger/statement", "from_date", {**_STATEMENT, "to_date": "2026-01-31"}),
    ("/api/v1/ledger/statement", "to_date", {**_STATEMENT, "from_date": "2026-01-01"}),
    ("/api/v1/ledger/reports/trial-balance", "as_of", {}),
    ("/api/v1/ledger/reports/statement", "to_date", {**_STATEMENT, "from_date": "2026-01-01", "format": "xlsx"}),
    ("/api/v1/credit-portfolio/summary", "from", {}), ("/api/v1/credit-portfolio/contracts", "to", {}),
    ("/api/v1/credit-portfolio/export", "from", {"answer": "summary", "format": "xlsx"}),
    ("/api/v1/forecasts/forecast", "date", {"series": "sales:D001"}),
    ("/api/v1/forecasts/batch", "from_date", {"to_date": "2026-01-10"}),
    ("/api/v1/forecasts/comparison", "to_date", {"from_date": "2026-01-01"}),
    ("/api/v1/forecasts/export", "from_date", {"to_date": "2026-01-10"}),
    ("/api/compat/v1/transactions", "from_date", {}), ("/api/compat/v1/metrics/overview", "to_date", {}),
    ("/api/compat/v1/metrics/trends", "from_date", {}), ("/api/compat/v1/reconciliation/summary", "date", {}),
    ("/api/compat/v1/reconciliation/discrepancies", "to_date", {}),
    ("/api/compat/v1/export/transactions", "from_date", {"format": "csv"}),
]
# 01/12/2026 was read as 12 January by the transactions list and its export; the others are ISO 8601
# forms that Python's date.fromisoformat also takes (basic, week date), single digits, no such day, empty.
NOT_DATES = ["01/12/2026", "20260112", "2026-W03-1", "2026-1-12", "2026-02-30", "", " 2026-01-12", "２０２６-01-12"]


def _error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    return json.loads(response.content)["error"]


@pytest.mark.parametrize("url, name, extra", DATED)
@pytest.mark.parametrize("value", NOT_DATES)
def test_a_date_not_written_yyyy_mm_dd_is_a_400_everywhere(api_client, finance_admin, url, name, extra, value):
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
                                                                "5min, 15min, hour, day, week"),
    ("/api/v1/reconciliation/discrepancies", "review_state", "open, acknowledged, resolved"),
    ("/api/v1/reconciliation/discrepancies", "type", None), ("/api/v1/export/reconciliation", "type", None),
    ("/api/v1/ledger/vouchers", "status", "draft, review, posted, cancelled"),
    ("/api/v1/ledger/reports/trial-balance", "format", "csv, xlsx, pdf"),
    ("/api/v1/credit-portfolio/export", "answer", None), ("/api/v1/credit-portfolio/export", "format", "xlsx, pdf"),
    ("/api/v1/export/planning/year-performance", "format", "csv, xlsx"),
    ("/api/v1/export/planning/plans-performance", "format", "csv, xlsx"),
    ("/api/compat/v1/transactions", "status", "success, failed, pending, processing, refunded"),
    ("/api/compat/v1/reconciliation/discrepancies", "type", None),
])
def test_an_empty_choice_is_a_400_listing_the_choices(api_client, finance_admin, url, name, expected):
    api_client.force_authenticate(finance_admin)
    extra = {"format": "csv"} if "export" in url and name != "format" else {}
    if "reconciliation" in url and "export" in url:
        extra["date"] = "2026-01-10"
    if "credit-portfolio" in url:
        extra = {"answer": "summary", "format": "xlsx", name: ""}
    if "trial-balance" in url:
        extra["as_of"] = "2026-01-31"
    error = _error(api_client.get(url, {**extra, name: ""}))
    assert list(error["details"]) == [name] and error["details"][name][0].endswith(", got ''")
    if expected:
        assert error["details"][name] == [f"expected one of {expected}, got ''"]


PAGED = ["/api/v1/transactions", "/api/v1/reconciliation/discrepancies", "/api/v1/ledger/accounts",
         "/api/v1/ledger/vouchers", "/api/v1/ledger/periods", "/api/v1/ledger/rules", "/api/v1/ledger/reconciliations",
         "/api/v1/credit-portfolio/contracts", "/api/v1/credit-portfolio/imports", "/api/compat/v1/transactions",
         "/api/compat/v1/reconciliation/discrepancies"]


@pytest.mark.parametrize("url", [*PAGED, "/api/v1/ledger/statement"])
@pytest.mark.parametrize("value", ["", "0", "101", "1.5", "ten"])
def test_a_limit_outside_1_to_100_is_a_400_everywhere(api_client, finance_admin, url, value):
    api_client.force_authenticate(finance_admin)
    extra = {**_STATEMENT, "from_date": "2026-01-01", "to_date": "2026-01-31"} if "statement" in url else {}
    error = _error(api_client.get(url, {**extra, "limit": value}))
    assert list(error["details"]) == ["limit"]
    assert error["details"]["limit"][0] in (f"must be a whole number between 1 and 100, got {value!r}",
                                            f"must be between 1 and 100, got {value}")


@pytest.mark.parametrize("url", PAGED)
def test_an_empty_page_is_a_400_everywhere(api_client, finance_admin, url):
    api_client.force_authenticate(finance_admin)
    assert list(_error(api_client.get(url, {"page": ""}))["details"]) == ["page"]


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
