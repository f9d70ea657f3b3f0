"""The PayShack sandbox application: JSON API (SPEC 5.2) and web portal, behind one SandboxServer.

API: login and refresh, then bearer token plus ``reseller-id`` on every call; tokens expire
(``token_ttl_s``) and are answered 401 after. Portal: a login form, then pay-in and pay-out pages
whose tables are drawn by the page's JavaScript from a JSON feed (see ``portal.py``).
"""

import json
import secrets
import threading
import time
from datetime import UTC, date, datetime

from integrations.payshack.sandbox import portal
from integrations.payshack.sandbox.ledger import CLIENT_ID, CLIENT_NAME, PAYIN, PAYOUT, Ledger, render_txn
from integrations.sandbox.clock import Clock
from integrations.sandbox.world import World

USER_SVC = "/indigate-user-svc/api/v1"
CORE_SVC = "/indigate-core-svc/api/v1"
USER_ID = "USR91G0001"
TXN_PATHS = {"/indigate-payin-svc/api/v1/payin/transaction/fetch": PAYIN,
             "/indigate-payout-svc/api/v1/wallet/transactions": PAYOUT}
MAX_LIMIT = 100
OPENING_BALANCE_MINOR = 5_000_000_00
OTHER_CLIENTS = (  # PayShack's other merchants: in its metadata, never in our payments. The documentation
    # allows ``name`` or ``companyName`` and ``balance`` or ``walletBalance``: the sandbox serves both spellings.
    {"clientId": "CLZEN0002", "companyName": "ZEN_RETAIL_LLP", "resellerId": "RS0002", "balance": 184250.75,
     "createdAt": "2025-03-14T09:12:44.000Z"},
    {"clientId": "CLARC0003", "name": "ARCADIA_GAMES_PVT_LTD", "resellerId": "RS0001", "walletBalance": 0.0,
     "createdAt": "2025-08-02T11:40:05.000Z"},
)
RESELLERS = ({"resellerId": "RS0001", "resellerName": "Indigate Direct", "status": "ACTIVE"},
             {"resellerId": "RS0002", "resellerName": "Bharat Pay Partners", "status": "ACTIVE"})
SERVICE_PROVIDERS = ({"spId": "SP01", "spName": "Axis Bank UPI", "type": "PAYIN", "status": "ACTIVE"},
                     {"spId": "SP02", "spName": "ICICI IMPS", "type": "PAYOUT", "status": "ACTIVE"},
                     {"spId": "SP03", "spName": "Yes Bank UPI", "type": "PAYIN", "status": "DISABLED"})


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Tokens:
    """Access tokens (short-lived) and refresh tokens, checked against the real monotonic clock."""

    def __init__(self, ttl_s: float):
        self.ttl_s, self._expiry, self._refresh, self._lock = ttl_s, {}, set(), threading.Lock()
        self.issued = self.refreshed = self.rejected = 0

    def issue(self) -> tuple[str, str]:
        token, refresh = secrets.token_hex(16), secrets.token_hex(16)
        with self._lock:
            self._expiry[token] = time.monotonic() + self.ttl_s
            self._refresh.add(refresh)
            self.issued += 1
        return token, refresh

    def renew(self, refresh: str) -> str:
        with self._lock:
            if refresh not in self._refresh:
                raise ApiError(401, "invalid refresh token")
            token = secrets.token_hex(16)
            self._expiry[token] = time.monotonic() + self.ttl_s
            self.refreshed += 1
        return token

    def valid(self, token: str) -> bool:
        with self._lock:
            ok = self._expiry.get(token, 0) > time.monotonic()
            self.rejected += not ok
        return ok


class PayShackSandbox:
    """Answers PayShack's API and portal over a world; ``handle`` is called by the sandbox server."""

    def __init__(self, world: World, *, email: str, password: str, clock: Clock | None = None,
                 token_ttl_s: float = 1800, layout: str = "standard"):
        self.world, self.email, self.password = world, email, password
        self.clock, self.ledger, self.tokens = clock or Clock(), Ledger(world), Tokens(token_ttl_s)
        self.layout = layout  # see portal.LAYOUTS; tests change it while a sync runs
        self.portal_logins = 0  # successful portal log-ins: what a client's session reuse saves

    def handle(self, method, path, query, headers, body):
        if path == "/":
            return 200, {"status": "ready", "provider": "payshack"}
        if path.startswith("/portal"):
            return portal.handle(self, method, path, query, headers, body)
        try:
            return 200, self._api(method, path, query, headers, body)
        except ApiError as exc:
            return exc.status, {"timestamp": datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
                                "statusCode": exc.status, "status": "ERROR", "message": exc.message, "success": False}

    def _api(self, method, path, query, headers, body) -> dict:
        if method == "POST" and path == f"{USER_SVC}/auth/login":
            return self._login(_json_body(body))
        if method == "POST" and path == f"{USER_SVC}/auth/refresh":
            refresh = _json_body(body).get("refreshToken", "")
            return _envelope({"token": self.tokens.renew(refresh), "refreshToken": refresh, "clientId": CLIENT_ID,
                              "userId": USER_ID})
        if method != "GET":
            raise ApiError(404, f"no such endpoint: {method} {path}")
        self._authorize(headers)
        if path in TXN_PATHS:
            return self.transactions(TXN_PATHS[path], query)
        # The documentation does not show the container: one list is served bare, the others in an object.
        if path == f"{CORE_SVC}/client/fetch-all-client":
            return _envelope(self.clients())
        if path == f"{CORE_SVC}/reseller/fetch-all-reseller":
            return _envelope({"resellers": list(RESELLERS)})
        if path == f"{CORE_SVC}/service-provider/fetch-all-sp":
            return _envelope({"serviceProviders": list(SERVICE_PROVIDERS)})
        raise ApiError(404, f"no such endpoint: {method} {path}")

    def credentials_ok(self, email: str, password: str) -> bool:
        return secrets.compare_digest(email, self.email) and secrets.compare_digest(password, self.password)

    def _login(self, payload: dict) -> dict:
        if not self.credentials_ok(str(payload.get("email", "")), str(payload.get("password", ""))):
            raise ApiError(401, "Invalid email or password")
        token, refresh = self.tokens.issue()
        return _envelope({"userId": USER_ID, "clientId": CLIENT_ID, "role": "CLIENT_ADMIN", "email": self.email,
                          "secretKey": f"sk_live_{secrets.token_hex(12)}", "token": token, "refreshToken": refresh},
                         message="Login successful")

    def _authorize(self, headers) -> None:
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not self.tokens.valid(auth[7:]):
            raise ApiError(401, "token expired or invalid")
        if headers.get("reseller-id") != CLIENT_ID:
            raise ApiError(403, "reseller-id header missing or not this client's")

    def transactions(self, kind: str, query: dict) -> dict:
        """One page of pay-ins or pay-outs, newest first, in PayShack's envelope."""
        page, limit = _int(query, "page", 1), _int(query, "limit", 10)
        if page < 1 or not 1 <= limit <= MAX_LIMIT:
            raise ApiError(400, f"page must be ≥ 1 and limit between 1 and {MAX_LIMIT}")
        now = self.clock.now()
        first, last = _day(query, "dateFrom"), _day(query, "dateTo")
        if query.get("orderId") or query.get("transactionId"):
            txns = [t for t in self.ledger.find(order_id=query.get("orderId", ""),
                                                txn_id=query.get("transactionId", ""))
                    if t.kind == kind and t.created_at <= now]
            total, chosen = len(txns), txns[(page - 1) * limit:page * limit]
        elif query.get("status"):
            wanted = query["status"].lower()
            newest_first = reversed(self.ledger.txns(kind, first, last, now))
            txns = [t for t in newest_first if t.status_word(now).lower() == wanted]
            total, chosen = len(txns), txns[(page - 1) * limit:page * limit]
        else:
            total = self.ledger.count(kind, first, last, now)
            chosen = self.ledger.page(kind, first, last, now, offset=(page - 1) * limit, limit=limit)
        total_pages = (total + limit - 1) // limit
        data = {"transactions": [render_txn(t, now) for t in chosen], "totalRecords": total, "perPage": limit,
                "totalPages": total_pages, "currentPageNo": page, "prevPage": page - 1,  # 0 on the first page
                "nextPage": page + 1 if page < total_pages else 0}  # 0 past the last
        envelope = _envelope(data, message="Transactions fetched successfully")
        if kind == PAYOUT:
            del envelope["success"]  # the pay-out service leaves it out, as the real one does
        return envelope

    def clients(self) -> list[dict]:
        ours = {"clientId": CLIENT_ID, "name": CLIENT_NAME, "resellerId": "RS0001",
                "walletBalance": self.wallet_balance_minor(self.clock.now()) / 100,
                "createdAt": "2024-11-05T06:30:00.000Z"}
        return [{**client, "currency": "INR", "status": "ACTIVE"} for client in (ours, *OTHER_CLIENTS)]

    def wallet_balance_minor(self, now: datetime) -> int:
        """Opening balance + successful pay-ins net of commission − successful pay-outs and charges."""
        balance = OPENING_BALANCE_MINOR
        for kind, sign in ((PAYIN, 1), (PAYOUT, -1)):
            for txn in self.ledger.txns(kind, None, None, now):
                if txn.unified_status(now) == "success":
                    payment = txn.payment
                    balance += sign * payment.payshack_amount_minor - payment.fee_minor
        return balance


def _envelope(data, *, message: str = "OK") -> dict:
    timestamp = datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"  # the server's own clock
    return {"timestamp": timestamp, "statusCode": 200, "status": "OK", "message": message, "success": True,
            "data": data}


def _json_body(body: bytes) -> dict:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(400, "body is not JSON") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "body must be a JSON object")
    return payload


def _int(query: dict, name: str, default: int) -> int:
    try:
        return int(query.get(name, default))
    except ValueError:
        raise ApiError(400, f"{name} must be an integer") from None


def _day(query: dict, name: str) -> date | None:
    if not query.get(name):
        return None
    try:
        return date.fromisoformat(query[name])
    except ValueError:
        raise ApiError(400, f"{name} must be a date (YYYY-MM-DD, an IST day)") from None
