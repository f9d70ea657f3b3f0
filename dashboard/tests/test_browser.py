"""The back office in a real browser: the system's Chromium driven by Playwright against a live server on the
test database. Few tests, each walking a whole path a finance person takes; screenshots go to artifacts/."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from integrations.payshack.portal import CHROMIUM_ARGS
from reconciliation.models import ReconciliationResult

from .conftest import YESTERDAY_NOON

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread must see the test's rows
DAY = YESTERDAY_NOON.date().isoformat()
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
PASSWORD = "pw-for-tests"  # the role fixtures' password (conftest._user_with_role)


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes between browser
    # steps are plain synchronous code, which Django would otherwise refuse next to a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            # While Playwright's event loop runs in this thread, Django looks its database connections up in a
            # context-local slot of their own (asgiref's thread-critical Local switches storage when a loop is
            # running), so the ORM calls made meanwhile opened a second connection. Closed here, while that
            # slot is still the one in view: left open, PostgreSQL refuses to drop the test database at the end.
            connections.close_all()
            chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """A new browser context logged in through the admin's login form; console errors are collected."""

    def log_in(user, *, width: int = 1400, height: int = 1000):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#dashboard")
        # The dashboard's scripts sit before the rest of the admin index: the HTML after them (the
        # operations link, the app list) is parsed only once they have loaded and run.
        page.wait_for_load_state("load")
        return page

    return log_in


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
