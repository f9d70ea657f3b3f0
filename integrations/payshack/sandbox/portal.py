"""The PayShack web portal: a login form, then pay-in and pay-out pages drawn by JavaScript.

The HTML holds no rows: ``portal.js`` fetches ``/portal/feed/<kind>`` and draws the table, so
only a real browser sees the transactions. Values are written as the portal shows them: rupees
with Indian digit grouping (``₹1,23,456.50``), times in IST, statuses in PayShack's own words.
``layout`` changes the page the way a provider's redesign would, to test that breakage is caught.
"""

import html
import json
from datetime import datetime
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

from integrations.payshack.sandbox.ledger import IST, PAYIN, PAYOUT
from integrations.sandbox.server import SandboxResponse

LAYOUTS = ("standard", "renamed-column", "moved-table")
COOKIE = "ps_portal"
PAGE_SIZES = (10, 25, 50, 100)
_SCRIPT = (Path(__file__).parent / "portal.js").read_bytes()

# (header, API field) per kind, in the order the portal shows them.
COLUMNS = {
    PAYIN: (("Txn ID", "txnId"), ("Order ID", "orderId"), ("SP Txn ID", "spTxnId"), ("Client", "clientName"),
            ("Client ID", "clientId"), ("Type", "transactionType"), ("Mode", "paymentMode"), ("Payer VPA", "payerVpa"),
            ("Amount", "amount"),
            ("Paid Amount", "paidAmount"), ("Commission", "totalCommissionAmount"), ("UTR", "utr"),
            ("Status", "txnStatus"), ("Created (IST)", "createdAt"), ("Modified (IST)", "modifiedAt"),
            ("Completed (IST)", "completedAt")),
    PAYOUT: (("Txn ID", "txnId"), ("Order ID", "orderId"), ("SP Txn ID", "spTxnId"), ("Client", "clientName"),
             ("Client ID", "clientId"), ("Type", "transactionType"), ("Beneficiary", "beneName"),
             ("Account", "beneAccount"), ("IFSC", "beneIfsc"), ("Amount", "amount"), ("Charges", "txnCharges"),
             ("Net Amount", "netAmount"), ("UTR", "utr"), ("Status", "txnStatus"), ("Created (IST)", "createdAt"),
             ("Modified (IST)", "modifiedAt"), ("Completed (IST)", "completedAt")),
}
MONEY_FIELDS = {"amount", "paidAmount", "totalCommissionAmount", "txnCharges", "netAmount"}
TIME_FIELDS = {"createdAt", "modifiedAt", "completedAt"}
KINDS = {"payins": PAYIN, "payouts": PAYOUT}


def handle(app, method, path, query, headers, body) -> SandboxResponse:
    if path in ("/portal", "/portal/"):
        return _redirect("/portal/payins")
    if path == "/portal/static/portal.js":
        return SandboxResponse(200, _SCRIPT, "application/javascript")
    if path == "/portal/login":
        return _login(app, method, body)
    if path == "/portal/logout":
        return _redirect("/portal/login", cookie=f"{COOKIE}=; Path=/portal; Max-Age=0")
    signed_in = app.tokens.valid(_cookie(headers))
    if path.startswith("/portal/feed/") and path.rsplit("/", 1)[1] in KINDS:
        if not signed_in:
            return _json(401, {"error": "session expired"})
        return _json(200, feed(app, KINDS[path.rsplit("/", 1)[1]], query))
    if path.rsplit("/", 1)[1] in KINDS and path.count("/") == 2:
        if not signed_in:
            return _redirect("/portal/login")
        return SandboxResponse(200, _shell(KINDS[path.rsplit("/", 1)[1]], app.layout).encode())
    return SandboxResponse(404, b"<h1>Not found</h1>")


def feed(app, kind: str, query: dict) -> dict:
    """The rows one portal page shows, already written for display."""
    query = {**query}
    limit = int(query.get("limit") or 25)
    if limit not in PAGE_SIZES:
        limit = 25
    api = app.transactions(kind, {**query, "limit": str(limit)})["data"]
    columns = COLUMNS[kind]
    if app.layout == "renamed-column":
        columns = tuple(("Merchant Order Ref" if header == "Order ID" else header, f) for header, f in columns)
    return {
        "columns": [header for header, _ in columns],
        "rows": [[display(column_value(record, field), field) for _, field in columns]
                 for record in api["transactions"]],
        "page": api["currentPageNo"], "totalPages": api["totalPages"], "total": api["totalRecords"], "limit": limit,
    }


def column_value(record: dict, field: str):
    """A pay-out's id may come as ``transactionId``: the portal shows it under the same column."""
    if field == "txnId" and "txnId" not in record:
        return record.get("transactionId")
    return record.get(field)


def display(value, field: str) -> str:
    if value is None or value == "":
        return "—"
    if field in MONEY_FIELDS:
        return inr(Decimal(str(value)))  # str of a float is its shortest exact spelling
    if field in TIME_FIELDS:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(IST)
        return moment.strftime("%d-%m-%Y %H:%M:%S")
    return str(value)


def inr(amount: Decimal) -> str:
    """Rupees the Indian way: the last three digits, then groups of two (₹1,23,456.50)."""
    sign, text = ("-" if amount < 0 else ""), format(abs(amount).quantize(Decimal("0.01")), "f")
    whole, fraction = text.split(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return f"{sign}₹{','.join([*groups, tail])}.{fraction}"


def _login(app, method: str, body: bytes) -> SandboxResponse:
    if method == "POST":
        form = {key: values[-1] for key, values in parse_qs(body.decode()).items()}
        if app.credentials_ok(form.get("email", ""), form.get("password", "")):
            token, _ = app.tokens.issue()
            app.portal_logins += 1
            return _redirect("/portal/payins", cookie=f"{COOKIE}={token}; Path=/portal; HttpOnly; SameSite=Lax")
        return SandboxResponse(200, _login_page("Invalid email or password").encode())
    return SandboxResponse(200, _login_page("").encode())


def _cookie(headers) -> str:
    jar = SimpleCookie()
    jar.load(headers.get("Cookie", ""))
    return jar[COOKIE].value if COOKIE in jar else ""


def _redirect(location: str, *, cookie: str = "") -> SandboxResponse:
    headers = {"Location": location, **({"Set-Cookie": cookie} if cookie else {})}
    return SandboxResponse(302, b"", headers=headers)


def _json(status: int, payload: dict) -> SandboxResponse:
    return SandboxResponse(status, json.dumps(payload).encode(), "application/json")


_STYLE = """body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f9;color:#1d2733}
header{background:#1f3a5f;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center}
header a{color:#cfe0f5;text-decoration:none}main{padding:16px 24px}
table{border-collapse:collapse;background:#fff;font-size:13px}th,td{border:1px solid #d7dde5;padding:4px 8px}
th{background:#e9eef5;text-align:left}.error{color:#b00020}form.filters{margin-bottom:12px}"""


def _login_page(error: str) -> str:
    message = f'<p class="error" id="login-error">{html.escape(error)}</p>' if error else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>PayShack · Sign in</title>
<style>{_STYLE}</style></head><body><header><strong>PayShack</strong> merchant dashboard</header><main>
<h1>Sign in</h1>{message}<form method="post" action="/portal/login" id="login-form">
<p><label>Email <input type="email" name="email" id="email" required></label></p>
<p><label>Password <input type="password" name="password" id="password" required></label></p>
<p><button type="submit" id="sign-in">Sign in</button></p></form></main></body></html>"""


def _shell(kind: str, layout: str) -> str:
    title = "Pay-ins" if kind == PAYIN else "Pay-outs"
    sizes = "".join(f'<option value="{size}">{size}</option>' for size in PAGE_SIZES)
    table = '<section id="txn-section"><table id="transactions"><thead></thead><tbody></tbody></table></section>'
    if layout == "moved-table":
        table = '<div class="grid-wrap"><table id="txn-grid"><thead></thead><tbody></tbody></table></div>'
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>PayShack · {title}</title>
<style>{_STYLE}</style></head><body data-kind="{kind}s">
<header><strong>PayShack</strong><a href="/portal/payins">Pay-ins</a><a href="/portal/payouts">Pay-outs</a>
<a href="/portal/logout">Sign out</a></header><main><h1>{title}</h1>
<form class="filters" id="filters"><label>From <input type="date" id="date-from"></label>
<label>To <input type="date" id="date-to"></label>
<label>Rows per page <select id="page-size">{sizes}</select></label>
<button type="submit" id="apply">Apply</button></form>
<div id="pager"><button type="button" id="prev">‹ Previous</button>
<span id="page-info" data-state="loading">Loading…</span>
<button type="button" id="next">Next ›</button></div>
{table}</main><script src="/portal/static/portal.js"></script></body></html>"""
