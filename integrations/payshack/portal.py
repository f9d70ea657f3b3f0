"""PayShack's web portal read in a real browser (SPEC 5.2): the path of last resort, and a complete one.

Playwright's sync API drives the system Chromium. The client logs in through the form, keeps the
browser's storage state (the session cookie) in a store and reuses it until it expires, opens the
pay-in or pay-out page for one IST day, and walks the table with the Next button, reading the
rows the page's JavaScript drew. The rows come back keyed by the API's field names, with the
portal's own spelling of values (``₹1,23,456.50``, IST times), for the one PayShack normalizer.

A selector or column that no longer matches raises PortalLayoutChanged ("portal layout changed:
…") with a screenshot and the page's HTML as evidence.

Playwright's sync objects belong to the thread that created them: the sync runner's reader process
opens, walks and closes the browser on its main thread (integrations/core/reader.py).
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from playwright.sync_api import Error as PlaywrightError

from integrations.core.errors import UpstreamError

logger = logging.getLogger(__name__)

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run")
TABLE = "table#transactions"
PAGER = "#page-info"
# Column header → API field name, per kind. A missing header is a layout change, not a missing value.
HEADERS = {
    "payin": {"Txn ID": "txnId", "Order ID": "orderId", "SP Txn ID": "spTxnId", "Client": "clientName",
              "Client ID": "clientId", "Type": "transactionType", "Mode": "paymentMode", "Payer VPA": "payerVpa",
              "Amount": "amount",
              "Paid Amount": "paidAmount", "Commission": "totalCommissionAmount", "UTR": "utr",
              "Status": "txnStatus", "Created (IST)": "createdAt", "Modified (IST)": "modifiedAt",
              "Completed (IST)": "completedAt"},
    "payout": {"Txn ID": "txnId", "Order ID": "orderId", "SP Txn ID": "spTxnId", "Client": "clientName",
               "Client ID": "clientId", "Type": "transactionType", "Beneficiary": "beneName",
               "Account": "beneAccount", "IFSC": "beneIfsc", "Amount": "amount", "Charges": "txnCharges",
               "Net Amount": "netAmount", "UTR": "utr", "Status": "txnStatus", "Created (IST)": "createdAt",
               "Modified (IST)": "modifiedAt", "Completed (IST)": "completedAt"},
}
# Reads the table in one round trip: header texts and every row's cell texts.
_READ_TABLE = """(selector) => {
  const table = document.querySelector(selector);
  if (!table) return null;
  const cells = (row, tag) => Array.from(row.querySelectorAll(tag), (cell) => cell.textContent.trim());
  const head = table.tHead && table.tHead.rows[0];
  return {headers: head ? cells(head, "th") : [], rows: Array.from(table.tBodies[0].rows, (row) => cells(row, "td"))};
}"""
# The page is settled when the pager says ready or error, when there is no pager to wait for (a layout
# change, reported by the caller), or when the session ended and the page went to the login form.
_SETTLED = """(page) => location.pathname.endsWith('/login') || (() => {
  const info = document.querySelector('#page-info');
  return !info || info.dataset.state === 'error' || (info.dataset.state === 'ready' && info.dataset.page === page);
})()"""


class PortalLayoutChanged(UpstreamError):
    """The portal no longer looks as this client expects; the run fails with evidence attached."""

    def __init__(self, what: str, evidence: dict[str, bytes]):
        super().__init__(f"portal layout changed: {what}", permanent=True, evidence=evidence)
        self.what = what

    def __reduce__(self):
        # Raised in the sync's reader process and sent whole to the writer, which stores the evidence.
        return type(self), (self.what, self.evidence)


@dataclass(frozen=True)
class PortalSettings:
    portal_url: str  # e.g. http://127.0.0.1:8702/portal
    email: str
    password: str
    chromium_path: str = "/usr/bin/chromium"
    page_size: int = 100  # the largest the portal offers
    timeout_ms: int = 30_000
    session_ttl_s: int = 25 * 60  # a little under the portal's 30-minute session


class PortalFetcher:
    """Pages of one kind and IST day, read from the portal's tables; ``session_store`` keeps the login."""

    def __init__(self, settings: PortalSettings, *, session_store=None):
        self.settings, self.session_store = settings, session_store
        self._playwright = self._browser = self._context = self._page = None

    def day_pages(self, kind: str, day: date) -> Iterator[list[dict]]:
        number = 1
        rows, total_pages = self._on_browser(self._open, kind, day, number)
        while True:
            if rows:
                yield rows
            if number >= total_pages:
                return
            number += 1
            rows, total_pages = self._on_browser(self._next, kind, day, number)

    def close(self) -> None:
        self._on_browser(self._stop)

    def _on_browser(self, function, *args):
        """Call ``function``; a Playwright error (a timeout, a crash) becomes the run's UpstreamError."""
        try:
            return function(*args)
        except PlaywrightError as exc:  # a timeout, a crashed browser, a page that would not load
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UpstreamError(f"payshack portal: {message}") from exc

    def _open(self, kind: str, day: date, number: int):
        """Open page ``number`` of ``kind`` for one IST day, logging in when the portal asks."""
        page = self._ensure_page()
        query = urlencode({"dateFrom": day.isoformat(), "dateTo": day.isoformat(),
                           "limit": self.settings.page_size, "page": number})
        for _ in range(3):
            page.goto(f"{self.settings.portal_url}/{kind}s?{query}")
            if self._on_login_form():
                self._log_in()
                continue
            if self._wait_settled(kind, number):
                return self._read(kind)
        raise UpstreamError(f"payshack portal kept ending the session before the {kind} page loaded")

    def _next(self, kind: str, day: date, number: int):
        page = self._page
        button = page.query_selector("#next")
        if button is None:
            raise self._layout_changed(f"no Next button (#next) on the {kind} page")
        button.click()
        if not self._wait_settled(kind, number):
            return self._open(kind, day, number)  # the session ended mid-walk: log in and resume at this page
        return self._read(kind)

    def _wait_settled(self, kind: str, number: int) -> bool:
        """Wait for the table of page ``number``; False if the portal sent us to the login form."""
        page = self._page
        for _ in range(3):
            try:
                page.wait_for_function(_SETTLED, arg=str(number), timeout=self.settings.timeout_ms)
                break
            except PlaywrightError as exc:
                if "context was destroyed" not in str(exc):  # anything but a navigation while waiting
                    raise
                page.wait_for_load_state()
        if self._on_login_form():
            return False
        info = page.query_selector(PAGER)
        if info is None:
            raise self._layout_changed(f"no pager ({PAGER}) on the {kind} page")
        if info.get_attribute("data-state") == "error":
            raise UpstreamError(f"payshack portal could not load {kind} page {number}: {info.text_content()}")
        return True

    def _read(self, kind: str) -> tuple[list[dict], int]:
        page = self._page
        table = page.evaluate(_READ_TABLE, TABLE)
        if table is None:
            raise self._layout_changed(f"no transactions table ({TABLE}) on the {kind} page")
        wanted = HEADERS[kind]
        missing = [header for header in wanted if header not in table["headers"]]
        if missing:
            raise self._layout_changed(f"column {missing[0]!r} is missing from the {kind} table "
                                       f"(found: {', '.join(table['headers'])})")
        positions = {wanted[header]: table["headers"].index(header) for header in wanted}
        rows = [{field: cells[i] for field, i in positions.items()} for cells in table["rows"]]
        total_pages = int(page.query_selector(PAGER).get_attribute("data-total-pages") or 0)
        return rows, total_pages

    def _ensure_page(self):
        if self._page is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.settings.chromium_path, headless=True, args=list(CHROMIUM_ARGS))
            state = self.session_store.get(self._session_key) if self.session_store else None
            self._context = self._browser.new_context(storage_state=state)
            self._context.set_default_timeout(self.settings.timeout_ms)
            self._page = self._context.new_page()
        return self._page

    def _on_login_form(self) -> bool:
        return self._page.url.split("?")[0].endswith("/login")

    def _log_in(self) -> None:
        page = self._page
        for selector in ("#email", "#password", "#sign-in"):
            if page.query_selector(selector) is None:
                raise self._layout_changed(f"the login form has no {selector}")
        page.fill("#email", self.settings.email)
        page.fill("#password", self.settings.password)
        with page.expect_navigation():
            page.click("#sign-in")
        if self._on_login_form():
            error = page.query_selector("#login-error")
            reason = error.text_content().strip() if error else "still on the login form"
            raise UpstreamError(f"payshack portal rejected the login for {self.settings.email}: {reason}",
                                status=401, permanent=True)
        if self.session_store:
            self.session_store.set(self._session_key, self._context.storage_state(), self.settings.session_ttl_s)

    @property
    def _session_key(self) -> str:
        return f"payshack:portal-session:{self.settings.portal_url}:{self.settings.email}"

    def _layout_changed(self, what: str) -> PortalLayoutChanged:
        page = self._page
        evidence = {}
        try:
            evidence["screenshot.png"] = page.screenshot(full_page=True)
            evidence["page.html"] = page.content().encode()
        except Exception:  # noqa: BLE001 — evidence is best effort; the layout error is what matters
            logger.warning("could not capture evidence of the portal layout change", exc_info=True)
        return PortalLayoutChanged(f"{what} at {page.url}", evidence)

    def _stop(self) -> None:
        for closing in (self._context, self._browser):
            if closing is not None:
                closing.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._playwright = self._browser = self._context = self._page = None
