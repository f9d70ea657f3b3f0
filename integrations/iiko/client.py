"""iiko's REST client (SPEC 14): a token from the password's SHA-1, departments as XML, the OLAP SALES report.

The token is kept in a ``TokenStore`` (the cache, in production: shared by runs and workers) and reused
until iiko answers 401; then the client logs in once more and repeats the call. A second 401 with a
fresh token ends the run. HTTP only: no ORM, no normalizing.
"""

import hashlib
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from integrations.core.errors import UpstreamError
from integrations.core.http import RetryingHttp, RetryPolicy

logger = logging.getLogger(__name__)

SALES_FIELDS = ["Department.Id", "CloseTime", "OrderNum"]
SALES_AGGREGATES = ["DishSumInt"]


@dataclass(frozen=True)
class IikoSettings:
    base_url: str  # e.g. http://127.0.0.1:8705
    login: str
    password: str
    timeout_s: float = 30.0
    retry: RetryPolicy = RetryPolicy()


class TokenStore(Protocol):
    def get(self) -> str | None: ...

    def set(self, token: str | None) -> None: ...


class MemoryTokens:
    """A token kept by one client only (tests, one-off commands)."""

    def __init__(self):
        self.token = None

    def get(self) -> str | None:
        return self.token

    def set(self, token: str | None) -> None:
        self.token = token


class IikoClient:
    """Departments and the SALES report; counts its logins (``logins``) for the logs and tests."""

    def __init__(self, settings: IikoSettings, tokens: TokenStore | None = None):
        self.settings, self.tokens, self.logins = settings, tokens or MemoryTokens(), 0
        self.http = RetryingHttp(base_url=settings.base_url, timeout_s=settings.timeout_s, policy=settings.retry,
                                 provider="iiko")

    def departments_xml(self) -> str:
        return self._authorized("GET", "/resto/api/corporation/departments").text

    def departments(self) -> list[dict]:
        """The corporation's items as they are listed: ``{id, parentId, code, name, type}`` (text values)."""
        text = self.departments_xml()
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            raise UpstreamError(f"iiko's departments are not XML: {exc}", body=text[:500], permanent=True) from None
        return [{child.tag: (child.text or "").strip() for child in item} for item in root.iter("corporateItemDto")]

    def sales(self, first: date, last_exclusive: date) -> list[dict]:
        """Orders opened in [first, last_exclusive), not deleted: one row per order with its close time."""
        body = {
            "reportType": "SALES", "groupByRowFields": SALES_FIELDS, "aggregateFields": SALES_AGGREGATES,
            "filters": {
                "OpenDate.Typed": {"filterType": "DateRange", "periodType": "CUSTOM", "from": first.isoformat(),
                                   "to": last_exclusive.isoformat(), "includeLow": True, "includeHigh": False},
                "OrderDeleted": {"filterType": "IncludeValues", "values": ["NOT_DELETED"]},
            },
        }
        answer = self._authorized("POST", "/resto/api/v2/reports/olap", json=body, parse=True)
        rows = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(rows, list):
            raise UpstreamError("iiko's OLAP answer has no data list", body=str(answer)[:500], permanent=True)
        return rows

    def _authorized(self, method: str, path: str, *, parse: bool = False, **kwargs):
        for attempt in (1, 2):
            token = self.tokens.get() or self._login()
            try:
                call = self.http.request_json if parse else self.http.request
                return call(method, path, params={"key": token}, **kwargs)
            except UpstreamError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                logger.info("iiko: the token expired; logging in again")
                self.tokens.set(None)
        raise AssertionError("unreachable")

    def _login(self) -> str:
        digest = hashlib.sha1(self.settings.password.encode()).hexdigest()
        response = self.http.request("GET", "/resto/api/auth", params={"login": self.settings.login, "pass": digest})
        token = response.text.strip()
        if not token:
            raise UpstreamError("iiko answered an empty token", permanent=True)
        self.logins += 1
        self.tokens.set(token)
        return token

    def close(self) -> None:
        self.http.close()
