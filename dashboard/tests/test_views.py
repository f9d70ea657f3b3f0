"""The dashboard on the admin's home: its numbers are the API's, its filters are the API's parameters."""

from datetime import timedelta
from decimal import Decimal

import pytest

from .conftest import YESTERDAY_NOON, reconcile_yesterday

pytestmark = pytest.mark.django_db
DAY = YESTERDAY_NOON.date().isoformat()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_dashboard_shows_the_apis_overview_by_project_and_reconciliation(client, viewer, reconciled_day):
    client.force_login(viewer)
    page = client.get("/admin/", {"from_date": DAY, "to_date": DAY})
    assert page.status_code == 200
    data = page.context["dashboard"]
    api = client.get("/api/v1/metrics/overview", {"from_date": DAY, "to_date": DAY}).json()["data"]
    assert data["overview"]["total"]["count"] == api["total"]["count"] == 7
    assert {c: str(a) for c, a in data["overview"]["total"]["by_currency"].items()} == {"INR": "7500.5000",
                                                                                       "USD": "12.2500"}
    assert {c: Decimal(str(a)) for c, a in api["total"]["by_currency"].items()} == {
        "INR": Decimal("7500.50"), "USD": Decimal("12.25")}
    assert data["overview"]["conversion_rate"] == Decimal(str(api["conversion_rate"])) == Decimal("0.8571")
    by_project = client.get("/api/v1/metrics/by-project", {"from_date": DAY, "to_date": DAY}).json()["data"]
    assert [(r["project"], r["count"], r["success_count"]) for r in data["by_project"]] == [
        (r["project"], r["count"], r["success_count"]) for r in by_project] == [("91game", 7, 6)]

    recon = data["reconciliation"]
    assert (recon["date"], recon["run_id"]) == (DAY, reconciled_day.pk)
    assert {k: n for k, n in recon["counts"].items() if n} == {
        "matched": 1, "discrepancy_amount": 1, "missing_payshack": 2, "missing_vima": 1}
    assert recon["review"]["open"] == 4
    html = page.content.decode()
    assert 'id="kpi-volume"' in html and 'data-value="7"' in html and "7,500.50 INR" in html
    assert f"?run={reconciled_day.pk}&amp;result_date={DAY}&amp;review_state__exact=open" in html
    assert "/static/vendor/chart.js/chart.umd.min.js" in html
    assert 'id="operations-link"' not in html  # the operations page is for finance admins only


def test_the_finance_admin_also_gets_the_operations_link_and_the_app_list(client, finance_admin):
    client.force_login(finance_admin)
    html = client.get("/admin/").content.decode()
    assert 'id="dashboard"' in html and 'id="operations-link"' in html and "app-reconciliation" in html


def test_hourly_trend_and_a_project_filter_reach_the_selectors(client, viewer, reconciled_day):
    client.force_login(viewer)
    page = client.get("/admin/", {"from_date": DAY, "to_date": DAY, "granularity": "hour", "project": "other"})
    chart = page.context["dashboard_chart"]
    assert len(chart["labels"]) == 24 and sum(chart["success"]) == 0
    assert page.context["dashboard"]["overview"]["total"]["count"] == 0
    page = client.get("/admin/", {"from_date": DAY, "to_date": DAY, "granularity": "hour"})
    chart = page.context["dashboard_chart"]
    assert chart["labels"][12] == YESTERDAY_NOON.strftime("%m-%d 12:00")
    assert (chart["success"][12], chart["failed"][12], sum(chart["success"]) + sum(chart["failed"])) == (6, 1, 7)


def test_a_bad_filter_is_reported_and_the_defaults_shown(client, viewer):
    client.force_login(viewer)
    page = client.get("/admin/", {"from_date": "2026-02-30"}, follow=True)
    assert page.status_code == 200
    assert page.context["dashboard"]["overview"]["period"]["to_date"] >= page.context["dashboard"]["overview"][
        "period"]["from_date"]
    assert [str(m) for m in page.context["messages"]][0].startswith("Dashboard filters not applied: from_date:")


def test_payments_count_a_reconciled_pair_once_on_the_card_and_the_api(client, viewer, reconciled_day):
    """Seven records (a, b on both sides; c, e only on Vima; d only on PayShack) are five payments."""
    client.force_login(viewer)
    api = client.get("/api/v1/metrics/overview", {"from_date": DAY, "to_date": DAY}).json()["data"]
    assert api["total"]["count"] == 7
    assert (api["by_source"]["vima"]["count"], api["by_source"]["payshack"]["count"]) == (4, 3)
    assert api["payments"] == {"count": 5, "pairs": 2, "orphans": {"vima": 2, "payshack": 1}, "days_reconciled": 1,
                               "days": 1, "unreconciled_days": [], "time_zone": "UTC"}
    page = client.get("/admin/", {"from_date": DAY, "to_date": DAY})
    assert page.context["dashboard"]["overview"]["payments"] == {**api["payments"], "unreconciled_days": []}
    html = page.content.decode()
    assert 'id="kpi-payments"' in html and "2 pairs + 2 only on vima + 1 only on payshack" in html
    assert "Reconciled days only (1 of 1, days in UTC)" in html
    assert 'data-source="vima" data-value="4"' in html and 'data-source="payshack" data-value="3"' in html


def test_a_day_not_reconciled_is_not_counted_and_named(client, viewer, reconciled_day):
    client.force_login(viewer)
    day_before = (YESTERDAY_NOON.date() - timedelta(days=1)).isoformat()
    api = client.get("/api/v1/metrics/overview", {"from_date": day_before, "to_date": DAY}).json()["data"]
    assert (api["payments"]["count"], api["payments"]["days_reconciled"], api["payments"]["days"]) == (5, 1, 2)
    assert api["payments"]["unreconciled_days"] == [day_before]
    html = client.get("/admin/", {"from_date": day_before, "to_date": DAY}).content.decode()
    assert f"not counted, not yet reconciled: {day_before}" in html


def test_the_source_filter_reaches_volume_and_payments(client, viewer, reconciled_day):
    client.force_login(viewer)
    api = client.get("/api/v1/metrics/overview", {"from_date": DAY, "to_date": DAY, "source": "payshack"}).json()
    assert api["data"]["total"]["count"] == 3
    assert (api["data"]["payments"]["count"], api["data"]["payments"]["orphans"]) == (3, {"vima": 0, "payshack": 1})
    page = client.get("/admin/", {"from_date": DAY, "to_date": DAY, "source": "payshack"})
    assert page.context["dashboard"]["overview"]["total"]["count"] == 3
    assert '<option value="payshack" selected>' in page.content.decode()
    status = client.get("/api/v1/metrics/overview", {"from_date": DAY, "to_date": DAY, "status": "failed"}).json()
    assert status["data"]["payments"] is None


def test_an_open_alert_says_on_the_dashboard_why_it_is_open(client, viewer, django_capture_on_commit_callbacks):
    """Four of the five results are discrepancies: above the 5 % threshold, so reconciling opens an incident
    (after its commit: the callbacks are run here, as a real commit would)."""
    with django_capture_on_commit_callbacks(execute=True):
        reconcile_yesterday()
    client.force_login(viewer)
    page = client.get("/admin/", {"from_date": DAY, "to_date": DAY})
    assert [(i.kind, i.subject) for i in page.context["dashboard"]["alerts"]] == [
        ("discrepancy_share", f"vima-payshack {DAY}")]
    html = page.content.decode()
    assert 'id="open-alerts"' in html
    assert "4 of 5 results are discrepancies (80.00%, threshold 5.00%)" in html


def test_the_dashboard_reads_through_the_apis_cache_so_its_hits_are_counted(client, viewer, reconciled_day):
    from common.cache import counters

    client.force_login(viewer)
    before = counters.hits.get("metrics", 0)
    client.get("/admin/", {"from_date": DAY, "to_date": DAY})
    client.get("/api/v1/metrics/overview", {"from_date": DAY, "to_date": DAY})  # the dashboard's answer, cached
    assert counters.hits.get("metrics", 0) == before + 1
