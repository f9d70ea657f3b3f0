"""The back office in a real browser: the system's Chromium driven by Playwright against a live server on the
test database. Few tests, each walking a whole path a finance person takes; screenshots go to artifacts/."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from reconciliation.models import ReconciliationResult

from .conftest import YESTERDAY_NOON

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread must see the test's rows
DAY = YESTERDAY_NOON.date().isoformat()
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _decimals(locator) -> dict[str, Decimal]:
    return {item.get_attribute("data-currency"): Decimal(item.get_attribute("data-value"))
            for item in locator.all()}


def test_a_viewer_sees_the_apis_numbers_on_the_dashboard_and_no_operations_page(open_page, live_server, viewer,
                                                                                 reconciled_day):
    page = open_page(viewer)
    page.goto(f"{live_server.url}/admin/?from_date={DAY}&to_date={DAY}")
    page.wait_for_function("Chart.getChart('trend-chart') !== undefined")  # the chart library loaded and drew
    api = page.request.get(f"{live_server.url}/api/v1/metrics/overview?from_date={DAY}&to_date={DAY}").json()["data"]

    assert int(page.get_attribute("#kpi-volume .kpi-value", "data-value")) == api["total"]["count"] == 7
    assert _decimals(page.locator("#kpi-amount .kpi-money")) == {
        currency: Decimal(str(amount)) for currency, amount in api["total"]["by_currency"].items()}
    assert Decimal(page.get_attribute("#kpi-conversion .kpi-value", "data-value")) == Decimal(
        str(api["conversion_rate"]))
    assert _decimals(page.locator("#kpi-ticket .kpi-money")) == {
        currency: Decimal(str(amount)) for currency, amount in api["avg_ticket"]["by_currency"].items()}
    assert page.inner_text("#open-reviews td[data-value]") == "4"
    assert page.locator("#operations-link").count() == 0
    screenshot(page, "dashboard-viewer")
    assert page.errors == []

    response = page.goto(f"{live_server.url}/admin/operations/")
    assert response.status == 403
    screenshot(page, "operations-viewer-403")


def _run_action(page, result_pk: int, action: str) -> None:
    page.check(f'input[name="_selected_action"][value="{result_pk}"]')
    page.select_option('select[name="action"]', action)
    page.click('button[name="index"]')


def test_a_finance_admin_acknowledges_and_resolves_a_discrepancy_and_its_history_shows_it(
        open_page, live_server, finance_admin, reconciled_day):
    page = open_page(finance_admin)
    assert page.is_visible("#operations-link")
    result = ReconciliationResult.objects.get(run=reconciled_day, key="b")  # the amount discrepancy
    changelist = f"{live_server.url}/admin/reconciliation/reconciliationresult/?result_type__exact=discrepancy_amount"

    page.goto(changelist)
    _run_action(page, result.pk, "acknowledge")
    assert "1 result(s) acknowledged." in page.inner_text(".messagelist")
    _run_action(page, result.pk, "resolve")
    page.select_option("#id_reason_code", "fee")
    page.fill("#id_note", "PayShack took its fee from the amount")
    page.click("input[type=submit][value='Resolve results']")
    assert "1 result(s) resolved." in page.inner_text(".messagelist")

    page.goto(f"{live_server.url}/admin/reconciliation/reconciliationresult/{result.pk}/history/")
    rows = [row.split("\t") for row in page.locator("#change-history tbody tr").all_inner_texts()]
    # Newest first: object, review_state, assignee, reason_code, note, date, comment, changed by, …
    assert [row[1:5] for row in rows[:2]] == [["resolved", "None", "fee", "PayShack took its fee from the amount"],
                                              ["acknowledged", "None", "", ""]]
    assert {row[7] for row in rows[:2]} == {finance_admin.username}
    screenshot(page, "result-history")
    result.refresh_from_db()
    assert (result.review_state, result.reason_code) == ("resolved", "fee")

    page.goto(f"{live_server.url}/admin/")
    assert page.inner_text("#open-reviews td[data-value]") == "3"  # one fewer waiting for review
    response = page.goto(f"{live_server.url}/admin/operations/")
    assert response.status == 200
    screenshot(page, "operations-admin")
    assert page.errors == []
