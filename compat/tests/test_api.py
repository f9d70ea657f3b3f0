"""/api/compat/v1/: the predecessor's shapes field by field, the same numbers as /api/v1/ for the same filters,
the same authentication and project limits, and CORS preflight for the dashboard's origin."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token

from analytics.models import FxRate
from common.models import TokenProjectLimit
from reconciliation.services import reconciliation_run
from reconciliation.tests.conftest import payshack_row, vima
from transactions.models import ProjectMapping
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 1, 15, tzinfo=UTC)
PERIOD = {"from_date": "2026-01-15", "to_date": "2026-01-15"}
ORIGIN = "https://dash.example.com"


def at(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


@pytest.fixture
def world():
    """91game: a (matched), b (amounts differ), c (Vima only), d (PayShack only, failed), p (pending),
    q (processing); monetix: one USD payment. Reconciled."""
    ProjectMapping.objects.get_or_create(source="payshack", provider_name="91G_TECH_PVT_LTD",
                                         defaults={"project": "91game"})
    transactions_upsert(rows=[
        vima("a", "1000.00", at=at(10)), payshack_row("a", "1000.00", at=at(10, 5)),
        vima("b", "2000.00", at=at(11)), payshack_row("b", "2500.00", at=at(11, 5)),
        vima("c", "300.50", at=at(12), fee=Decimal("3.0000"), utr="UTR-C", user_name="Asha"),
        payshack_row("d", "700.00", status="failed", at=at(13)),
        vima("p", "40.00", status="pending", at=at(14)), vima("q", "60.00", status="processing", at=at(14, 30)),
        vima("m", "12.25", currency="USD", project="monetix", at=at(15)),
    ])
    reconciliation_run(date_from=DAY.date(), date_to=DAY.date())


@pytest.fixture
def client(api_client, finance_manager):
    api_client.force_authenticate(finance_manager)
    return api_client


def body(response):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content, parse_float=Decimal)


def canonical(client, path, params=None):
    return body(client.get(f"/api/v1/{path}", params or {}))["data"]


def compat(client, path, params=None):
    response = client.get(f"/api/compat/v1/{path}", params or {})
    assert response.status_code == 200, response.content[:300]
    return body(response)


def test_transactions_page_has_the_predecessors_fields_and_the_canonical_values(client, world):
    params = {**PERIOD, "project": "91game", "sort_by": "amount", "order": "asc", "limit": "3", "page": "2"}
    answer = compat(client, "transactions", params)
    assert set(answer) == {"items", "page", "limit", "total", "pages"}
    assert (answer["page"], answer["limit"], answer["total"], answer["pages"]) == (2, 3, 8, 3)
    rows = canonical(client, "transactions", params)
    assert [item["id"] for item in answer["items"]] == [row["id"] for row in rows]
    fields = ["id", "source", "source_id", "client_operation_id", "project", "amount", "currency", "status",
              "user_name", "user_email", "user_phone", "created_at", "fee", "reference_id", "order_id", "utr",
              "user_id", "country", "merchant_id", "payment_method", "payment_product", "original_status",
              "updated_at", "completed_at"]
    for item, row in zip(answer["items"], rows, strict=True):
        assert list(item) == fields
        assert item == {name: row[name] for name in fields}
    c = compat(client, "transactions", {"search": "UTR-C"})["items"][0]
    assert (c["amount"], c["fee"], c["utr"], c["user_name"], c["currency"]) == (
        Decimal("300.5"), Decimal("3"), "UTR-C", "Asha", "INR")
    assert isinstance(c["amount"], Decimal)  # a JSON number, not a string


def test_overview_in_the_predecessors_shape_with_the_canonical_numbers(client, world):
    FxRate.objects.create(day=DAY.date(), base="USD", quote="INR", rate=Decimal("80"))
    FxRate.objects.create(day=datetime(2026, 1, 14).date(), base="USD", quote="INR", rate=Decimal("80"))
    params = {**PERIOD, "project": "91game"}
    answer = compat(client, "metrics/overview", params)
    native = canonical(client, "metrics/overview", params)
    usd = canonical(client, "metrics/overview", {**params, "currency": "USD"})
    assert list(answer) == ["period", "total_count", "total_amount", "total_amount_usd", "currency", "by_status",
                            "by_source", "conversion_rate", "avg_ticket", "avg_ticket_usd", "count_change_percent"]
    assert answer["period"] == {"from": "2026-01-15", "to": "2026-01-15"}
    assert (answer["total_count"], answer["total_amount"], answer["currency"]) == (
        native["total"]["count"], native["total"]["amount"], "INR") == (8, Decimal("7600.5"), "INR")
    assert answer["total_amount_usd"] == usd["total"]["amount"] == Decimal("95.0062")  # 7,600.50 / 80, half even
    assert answer["by_status"] == {
        "success": {"count": 5, "amount": Decimal("6800.5"), "amount_usd": Decimal("85.0062")},
        "failed": {"count": 1, "amount": Decimal("700"), "amount_usd": Decimal("8.75")},
        "pending": {"count": 2, "amount": Decimal("100"), "amount_usd": Decimal("1.25")},  # pending + processing
    }
    assert (native["by_status"]["success"]["amount"], usd["by_status"]["success"]["amount"]) == (
        Decimal("6800.5"), Decimal("85.0062"))
    assert answer["by_source"] == {"vima": {"count": 5}, "payshack": {"count": 3}} | {
        source: {"count": 0} for source in native["by_source"] if source not in ("vima", "payshack")}
    assert answer["conversion_rate"] == native["conversion_rate"] == Decimal("0.625")
    assert answer["avg_ticket"] == native["avg_ticket"]["amount"] == Decimal("1360.1")
    assert answer["avg_ticket_usd"] == usd["avg_ticket"]["amount"] == Decimal("17.0012")
    assert answer["count_change_percent"] is native["trends"]["count"]["change_pct"] is None  # nothing before


def test_usd_fields_are_null_when_a_rate_is_missing(client, world):
    answer = compat(client, "metrics/overview", PERIOD)  # no rates stored at all
    assert answer["total_amount_usd"] is None and answer["avg_ticket_usd"] is None
    assert {figures["amount_usd"] for figures in answer["by_status"].values()} == {None}
    assert answer["total_amount"] is None and answer["currency"] is None  # INR and USD: no one figure
    assert answer["total_count"] == 9


def test_by_project_and_trends(client, world):
    projects = compat(client, "metrics/by-project", PERIOD)
    rows = canonical(client, "metrics/by-project", PERIOD)
    assert projects == {"projects": [{"project": row["project"], "total_count": row["count"],
                                      "total_amount": row["amount"], "conversion_rate": row["success_rate"]}
                                     for row in rows]}
    assert [p["project"] for p in projects["projects"]] == ["91game", "monetix"]
    trends = compat(client, "metrics/trends", {**PERIOD, "granularity": "hour", "project": "91game"})
    points = canonical(client, "metrics/trends", {**PERIOD, "granularity": "hour", "project": "91game"})["points"]
    assert (trends["period"], trends["granularity"], len(trends["data"])) == (
        {"from": "2026-01-15", "to": "2026-01-15"}, "hour", 24)
    assert trends["data"][11] == {"timestamp": "2026-01-15T11:00:00Z", "count": 2, "amount": Decimal("4500"),
                                  "success_count": 2, "failed_count": 0}
    assert [(p["count"], p["amount"]) for p in trends["data"]] == [(p["count"], p["amount"]) for p in points]
    quarter = compat(client, "metrics/trends", {**PERIOD, "granularity": "15min", "project": "91game"})
    assert len(quarter["data"]) == 96 and quarter["data"][14 * 4 + 2]["count"] == 1  # q at 14:30
    fine = compat(client, "metrics/trends", {**PERIOD, "granularity": "5min", "project": "91game"})
    assert len(fine["data"]) == 288 and fine["data"][11 * 12 + 1] == {  # b's PayShack copy at 11:05
        "timestamp": "2026-01-15T11:05:00Z", "count": 1, "amount": Decimal("2500"), "success_count": 1,
        "failed_count": 0}
    assert [sum(p["count"] for p in fine["data"][i:i + 3]) for i in range(0, 288, 3)] == [
        p["count"] for p in quarter["data"]]
    refused = client.get("/api/compat/v1/metrics/trends",
                         {"from_date": "2026-01-13", "to_date": "2026-01-15", "granularity": "5min"})
    assert refused.status_code == 400 and "granularity" in body(refused)["error"]["details"]


def test_reconciliation_summary_and_discrepancies(client, world):
    summary = compat(client, "reconciliation/summary", {"date": "2026-01-15"})
    assert set(summary) == {"total_transactions", "matched", "discrepancies", "missing", "run_at"}
    assert summary["total_transactions"] == canonical(client, "reconciliation/summary", {"date": "2026-01-15"})[
        "total"] == 6
    assert summary["matched"] == {"count": 1, "percentage": Decimal("16.67")}
    assert summary["discrepancies"] == {"count": 1, "by_type": {"amount": 1, "status": 0, "duplicate": 0}}
    assert summary["missing"] == {"count": 4, "missing_vima": 1, "missing_payshack": 3}
    assert summary["run_at"].startswith("20")
    listed = compat(client, "reconciliation/discrepancies", {**PERIOD, "type": "discrepancy_amount"})
    assert listed["total"] == 1
    assert listed["items"] == [{"id": listed["items"][0]["id"], "discrepancy_type": "discrepancy_amount",
                                "client_operation_id": "b", "vima_amount": Decimal("2000"),
                                "payshack_amount": Decimal("2500"), "amount_diff": Decimal("500"),
                                "vima_status": "success", "payshack_status": "success"}]
    everything = compat(client, "reconciliation/discrepancies", PERIOD)
    assert everything["total"] == canonical(client, "reconciliation/discrepancies", PERIOD).__len__() == 5


def test_sync_status_and_triggers(client, world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    status = compat(client, "sync/status")
    assert [row["source"] for row in status["sources"]] == [row["source"] for row in canonical(client, "sync/status")]
    assert list(status["sources"][0]) == ["source", "status", "records_synced", "last_sync_at", "last_successful_sync",
                                          "next_sync_at", "last_cursor", "error_message"]
    unknown = client.post("/api/compat/v1/sync/trigger/nope")
    assert unknown.status_code == 404 and body(unknown)["error"]["code"] == "NOT_FOUND"


def test_a_reconciliation_run_is_queued_from_a_date(client, world, monkeypatch):
    queued = []
    # The worker is not what is tested here: the run is queued, its task's delivery is recorded.
    monkeypatch.setattr("reconciliation.api.views.enqueue_run", queued.append)
    response = client.post("/api/compat/v1/reconciliation/run", {"date": "2026-01-14"}, format="json")
    assert response.status_code == 202
    answer = body(response)
    assert (answer["status"], answer["date_from"], answer["date_to"]) == ("queued", "2026-01-14", "2026-01-14")
    assert [run.pk for run in queued] == [answer["run_id"]]
    bad = client.post("/api/compat/v1/reconciliation/run", {"date": "15.01.2026"}, format="json")
    assert bad.status_code == 400 and "date" in body(bad)["error"]["details"]


def test_export_is_the_canonical_file(client, world):
    params = {**PERIOD, "format": "csv", "project": "91game"}
    compat_file = b"".join(client.get("/api/compat/v1/export/transactions", params).streaming_content)
    canonical_file = b"".join(client.get("/api/v1/export/transactions", params).streaming_content)
    assert compat_file == canonical_file and compat_file.count(b"\n") == 9


def test_a_project_limited_token_sees_only_its_project_here_too(api_client, viewer, world):
    token = Token.objects.create(user=viewer)
    TokenProjectLimit.objects.create(token=token, project="monetix")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listed = compat(api_client, "transactions")
    assert {item["project"] for item in listed["items"]} == {"monetix"} and listed["total"] == 1
    assert compat(api_client, "metrics/overview", PERIOD)["total_count"] == 1
    assert [p["project"] for p in compat(api_client, "metrics/by-project", PERIOD)["projects"]] == ["monetix"]
    assert compat(api_client, "reconciliation/summary", {"date": "2026-01-15"})["total_transactions"] == 0
    for path, params in (("transactions", {"project": "91game"}), ("metrics/overview", {"project": "91game"}),
                         ("sync/status", {})):
        refused = api_client.get(f"/api/compat/v1/{path}", params)
        assert refused.status_code == 403 and body(refused)["error"]["code"] == "PERMISSION_DENIED", path


def test_anonymous_callers_are_refused_as_on_the_canonical_api(api_client, world):
    response = api_client.get("/api/compat/v1/metrics/overview")
    assert response.status_code == 401 and body(response)["error"]["code"] == "NOT_AUTHENTICATED"


@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_the_dashboards_preflight_is_answered(api_client):
    response = api_client.options("/api/compat/v1/transactions", HTTP_ORIGIN=ORIGIN,
                                  HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                                  HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "GET" in response["Access-Control-Allow-Methods"]
    other = api_client.options("/api/compat/v1/transactions", HTTP_ORIGIN="https://elsewhere.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "Access-Control-Allow-Origin" not in other


def test_the_namespace_has_its_own_tag_in_the_openapi_schema(api_client, viewer):
    api_client.force_authenticate(viewer)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = json.loads(schema.content)
    compat_paths = {path: item for path, item in document["paths"].items() if path.startswith("/api/compat/v1/")}
    assert len(compat_paths) == 10
    assert {op["tags"][0] for item in compat_paths.values() for op in item.values() if isinstance(op, dict)} == {
        "compat"}
    assert any(tag["name"] == "compat" for tag in document["tags"])
