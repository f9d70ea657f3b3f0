"""The iiko sandbox (SPEC 14): auth by the password's SHA-1, the corporation's departments as XML, and
the OLAP SALES report over a POS world.

- ``GET /resto/api/auth?login=&pass=<sha1>`` answers a token as plain text, valid ``token_ttl_s``
  seconds (real time); after that every call with it answers 401.
- ``GET /resto/api/corporation/departments?key=`` answers ``<corporateItemDtoes>``: departments are
  listed before their organizations.
- ``POST /resto/api/v2/reports/olap?key=`` with ``reportType`` SALES, ``groupByRowFields``
  [Department.Id, CloseTime, OrderNum], ``aggregateFields`` [DishSumInt] and a ``DateRange`` filter
  on ``OpenDate.Typed`` (``from`` inclusive, ``to`` exclusive; equal answers 409). Deleted orders are
  in the report unless the ``OrderDeleted`` filter keeps only ``NOT_DELETED``, as in iiko.
"""

import hashlib
import secrets
import threading
import time
from datetime import date
from xml.sax.saxutils import escape

import orjson

from integrations.sandbox.clock import Clock
from integrations.sandbox.pos_world import PosWorld
from integrations.sandbox.server import SandboxError, SandboxResponse

GROUP_FIELDS = ["Department.Id", "CloseTime", "OrderNum"]
AGGREGATE_FIELDS = ["DishSumInt"]
DATE_FILTER = "OpenDate.Typed"
MAX_RANGE_DAYS = 93  # iiko refuses very long OLAP ranges; the client asks for a few days at a time


class IikoSandbox:
    """Answers iiko's REST API over a POS world; counts logins and rejected tokens for the tests."""

    def __init__(self, world: PosWorld, *, login: str, password: str, token_ttl_s: float = 3600,
                 clock: Clock | None = None):
        self.world, self.login, self.clock = world, login, clock or Clock()
        self.password_sha1 = hashlib.sha1(password.encode()).hexdigest()
        self.token_ttl_s, self._tokens, self._lock = token_ttl_s, {}, threading.Lock()
        self.logins = self.rejected = self.reports = 0

    def handle(self, method, path, query, headers, body):
        if path == "/":
            return 200, {"status": "ready", "provider": "iiko"}
        if path == "/resto/api/auth" and method == "GET":
            return self._auth(query)
        if path == "/resto/api/corporation/departments" and method == "GET":
            self._check(query)
            return SandboxResponse(200, self.departments_xml().encode(), content_type="application/xml")
        if path == "/resto/api/v2/reports/olap" and method == "POST":
            self._check(query)
            return 200, {"data": self.report(_json(body)), "summary": []}
        raise SandboxError(404, f"no such endpoint: {method} {path}")

    def expire_tokens(self) -> None:
        """Make every token issued so far expired (tests: no waiting an hour)."""
        with self._lock:
            self._tokens = {token: 0.0 for token in self._tokens}

    def _auth(self, query):
        if query.get("login") != self.login or query.get("pass") != self.password_sha1:
            raise SandboxError(401, "wrong login or password")
        token = secrets.token_hex(16)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.token_ttl_s
            self.logins += 1
        return SandboxResponse(200, token.encode(), content_type="text/plain; charset=utf-8")

    def _check(self, query):
        with self._lock:
            expires = self._tokens.get(query.get("key", ""))
            if expires is None or expires <= time.monotonic():
                self.rejected += 1
                raise SandboxError(401, "Token is expired or invalid")

    def departments_xml(self) -> str:
        items = [_item(d.iiko_id, self._org_id(d.parent), d.code, d.name, "DEPARTMENT")
                 for d in self.world.departments]
        items += [_item(o.iiko_id, "", o.code, o.name, "JURPERSON") for o in self.world.organizations]
        return f"<?xml version='1.0' encoding='UTF-8'?><corporateItemDtoes>{''.join(items)}</corporateItemDtoes>"

    def _org_id(self, code: str) -> str:
        return next(o.iiko_id for o in self.world.organizations if o.code == code)

    def report(self, request: dict) -> list[dict]:
        """The SALES report's rows for a request; raises SandboxError for what iiko refuses."""
        if request.get("reportType") != "SALES":
            raise SandboxError(400, f"unsupported reportType {request.get('reportType')!r}")
        if request.get("groupByRowFields") != GROUP_FIELDS or request.get("aggregateFields") != AGGREGATE_FIELDS:
            raise SandboxError(400, f"this sandbox answers groupByRowFields {GROUP_FIELDS} and aggregateFields "
                                    f"{AGGREGATE_FIELDS}")
        filters = request.get("filters") or {}
        first, last = _date_range(filters.get(DATE_FILTER))
        deleted_too = (filters.get("OrderDeleted") or {}).get("values") != ["NOT_DELETED"]
        now = self.clock.now().replace(tzinfo=None)  # the world's local time runs with the clock
        ids = {d.code: d.iiko_id for d in self.world.departments}
        self.reports += 1
        return [{"Department.Id": ids[o.department], "CloseTime": o.closed_at.strftime("%Y-%m-%dT%H:%M:%S.000"),
                 "OrderNum": o.number, "DishSumInt": float(o.amount)}
                for o in self.world.orders_opened(first, last)
                if o.closed_at <= now and (deleted_too or not o.deleted)]


def _date_range(spec) -> tuple[date, date]:
    if not isinstance(spec, dict) or spec.get("filterType") != "DateRange":
        raise SandboxError(400, f"a DateRange filter on {DATE_FILTER} is required")
    try:
        first, last = date.fromisoformat(spec["from"][:10]), date.fromisoformat(spec["to"][:10])
    except (KeyError, TypeError, ValueError):
        raise SandboxError(400, "DateRange needs from and to as YYYY-MM-DD") from None
    if first == last:
        raise SandboxError(409, "from and to are equal: the range is empty (to is exclusive)")
    if last < first or (last - first).days > MAX_RANGE_DAYS:
        raise SandboxError(400, f"DateRange must run forwards over at most {MAX_RANGE_DAYS} days")
    return first, last


def _json(body: bytes) -> dict:
    try:
        value = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError:
        raise SandboxError(400, "the body is not JSON") from None
    if not isinstance(value, dict):
        raise SandboxError(400, "the body must be a JSON object")
    return value


def _item(id_: str, parent: str, code: str, name: str, type_: str) -> str:
    parent_xml = f"<parentId>{parent}</parentId>" if parent else ""
    return (f"<corporateItemDto><id>{id_}</id>{parent_xml}<code>{escape(code)}</code><name>{escape(name)}</name>"
            f"<type>{type_}</type></corporateItemDto>")


