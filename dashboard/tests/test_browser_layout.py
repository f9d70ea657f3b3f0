"""The back office on a laptop (1280 × 800) in the system's Chromium: the chosen columns of every page fit and are
not clipped, headers do not break mid-word, money is written one way, and no page logs a console error.
Screenshots go to artifacts/."""

import re

import pytest

from reconciliation.models import ReconciliationResult
from transactions.models import Transaction

from .conftest import YESTERDAY_NOON
from .test_browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
DAY = YESTERDAY_NOON.date().isoformat()
LAPTOP = {"width": 1280, "height": 800}
# The one money format: thousands separators, the currency's minor units, the code after it.
MONEY = re.compile(r"^(–|-?\d{1,3}(,\d{3})*(\.\d{2,3})? [A-Z]{3})$")  # – : no amount (no fee)
# What the old formats looked like: an amount with four places, or a long number without separators.
RAW_AMOUNT = re.compile(r"\b\d{4,}\.\d{2,4}\b")

# For every table cell (th, td) of the page: is its content wider than its box (clipped), does a header run onto a
# second line (broken mid-word or between words), and does the table's scrolling box hide part of it.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  for (const cell of document.querySelectorAll('#content table th, #content table td')) {
    if (cell.offsetParent === null) continue;  // hidden (collapsed, another tab)
    const name = `${cell.tagName} "${cell.innerText.trim().slice(0, 40)}"`;
    if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`clipped ${name}`);
    if (cell.closest('thead')) {
      const lines = new Set();
      const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      while (texts.nextNode()) {
        if (!texts.currentNode.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(texts.currentNode);
        for (const rect of range.getClientRects()) if (rect.width > 0) lines.add(Math.round(rect.top));
      }
      if (lines.size > 1) problems.push(`header on ${lines.size} lines: ${name}`);
    }
    if (cell.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      problems.push(`off screen ${name}`);
  }
  for (const box of document.querySelectorAll('#content .results, #content table')) {
    if (box.scrollWidth > box.clientWidth + 1) problems.push(`scrolls sideways: ${box.className || box.id}`);
  }
  return problems;
}"""


def _check(page, name: str) -> None:
    screenshot(page, f"laptop-{name}")
    problems = page.evaluate(LAYOUT_PROBLEMS)
    assert problems == [], (name, problems)
    amounts = [text.strip() for text in page.locator(".money, .kpi-money").all_inner_texts()]
    assert amounts and all(MONEY.match(text) for text in amounts), (name, amounts)
    assert RAW_AMOUNT.findall(page.inner_text("#content")) == [], name
    assert page.errors == [], name


def test_the_back_office_fits_a_laptop_with_money_written_one_way(open_page, live_server, finance_admin,
                                                                 reconciled_day):
    page = open_page(finance_admin, **LAPTOP)
    page.goto(f"{live_server.url}/admin/?from_date={DAY}&to_date={DAY}")
    page.wait_for_function("Chart.getChart('trend-chart') !== undefined")
    _check(page, "dashboard")

    page.goto(f"{live_server.url}/admin/transactions/transaction/")
    assert page.locator("#result_list tbody tr").count() == 7
    assert [h.strip() for h in page.locator("#result_list thead th").all_inner_texts()][1:] == [
        "CREATED (UTC)", "SOURCE", "PROJECT", "AMOUNT", "STATUS", "OPERATION ID"]
    _check(page, "transactions")

    transaction = Transaction.objects.get(source="vima", client_operation_id="b")
    page.goto(f"{live_server.url}/admin/transactions/transaction/{transaction.pk}/change/")
    assert page.locator("input[type=submit]").count() == 0  # read-only: nothing to save
    assert page.inner_text(".field-amount_money .readonly") == "2,000.00 INR"
    assert not page.is_visible("details.raw-record pre")  # folded until asked for
    page.click("details.raw-record summary")
    assert page.is_visible("details.raw-record pre")
    _check(page, "transaction-detail")

    page.goto(f"{live_server.url}/admin/reconciliation/reconciliationresult/")
    assert page.locator("#result_list tbody tr").count() == 5
    _check(page, "reconciliation-results")

    result = ReconciliationResult.objects.get(run=reconciled_day, key="b")
    page.goto(f"{live_server.url}/admin/reconciliation/reconciliationresult/{result.pk}/change/")
    assert page.inner_text(".field-difference_money .readonly") == "500.00 INR"
    _check(page, "reconciliation-result")

    page.goto(f"{live_server.url}/admin/operations/")
    screenshot(page, "laptop-operations")
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    assert page.errors == []
