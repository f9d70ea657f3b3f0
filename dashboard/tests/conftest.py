"""Data for the dashboard's tests: yesterday's payments on both providers, reconciled, as the nightly run does."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections

from integrations.payshack.portal import CHROMIUM_ARGS
from reconciliation.services import reconciliation_run
from reconciliation.tests.conftest import payshack_row, vima
from transactions.models import ProjectMapping
from transactions.services import transactions_upsert

PASSWORD = "pw-for-tests"  # the role fixtures' password (conftest._user_with_role)
# The dashboard shows yesterday's reconciliation, so the data is dated from the real clock.
YESTERDAY_NOON = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)


def at(minutes: int) -> datetime:
    return YESTERDAY_NOON + timedelta(minutes=minutes)


@pytest.fixture
def reconciled_day():
    return reconcile_yesterday()


def reconcile_yesterday():
    """Four keys: a (matched), b (amount differs), c (missing on PayShack), d (missing on Vima, failed);
    a USD payment besides, so that amounts come per currency. Returns the run."""
    # Seeded by a migration, but transactional (browser) tests flush the tables: reconciliation needs it.
    ProjectMapping.objects.get_or_create(source="payshack", provider_name="91G_TECH_PVT_LTD",
                                         defaults={"project": "91game"})
    transactions_upsert(rows=[
        vima("a", "1000.00", at=at(0)), payshack_row("a", "1000.00", at=at(5)),
        vima("b", "2000.00", at=at(10)), payshack_row("b", "2500.00", at=at(15)),
        vima("c", "300.50", at=at(20)),
        payshack_row("d", "700.00", status="failed", at=at(25)),
        vima("e", "12.25", currency="USD", at=at(30)),
    ])
    return reconciliation_run(date_from=YESTERDAY_NOON.date(), date_to=YESTERDAY_NOON.date())


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


from integrations.payshack.tests.conftest import payshack_mapping  # noqa: E402,F401 — fixture for the demo test
