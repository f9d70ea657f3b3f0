"""PayShack's JSON API client (SPEC 5.2): login, refresh on 401, pages of pay-ins and pay-outs, metadata.

HTTP only; no ORM, no normalizing. Transient failures retry as for every provider (RetryingHttp);
an expired token is renewed with the refresh token (or a new login) and the call repeated once.
"""

from dataclasses import dataclass
from datetime import date

from integrations.core.errors import UpstreamError
from integrations.core.http import RetryingHttp, RetryPolicy

USER_SVC = "/indigate-user-svc/api/v1"
TXN_PATHS = {"payin": "/indigate-payin-svc/api/v1/payin/transaction/fetch",
             "payout": "/indigate-payout-svc/api/v1/wallet/transactions"}
PAGE_SIZE = 100  # the API's maximum ``limit``


@dataclass(frozen=True)
class PayShackCredentials:
    email: str
    password: str


class PayShackClient:
    """An authenticated session with PayShack's API; logs in on first use."""

    def __init__(self, *, api_url: str, credentials: PayShackCredentials, timeout_s: float = 30.0,
                 retry: RetryPolicy | None = None):
        self.credentials = credentials
        self.http = RetryingHttp(base_url=api_url, timeout_s=timeout_s, policy=retry or RetryPolicy(),
                                 provider="payshack")
        self._token = self._refresh_token = self._client_id = ""
        self.renewals = 0

    def transactions(self, kind: str, *, page: int, day_from: date, day_to: date, limit: int = PAGE_SIZE) -> dict:
        """One page of ``kind`` ("payin" or "payout") created in the IST days [day_from, day_to]."""
        params = {"page": page, "limit": limit, "dateFrom": day_from.isoformat(), "dateTo": day_to.isoformat()}
        data = self._get(TXN_PATHS[kind], params)
        if not isinstance(data.get("transactions"), list) or not isinstance(data.get("totalPages"), int):
            raise UpstreamError(f"payshack {kind} page {page} has no transactions list or totalPages",
                                body=str(data)[:500], permanent=True)
        return data

    def clients(self) -> list[dict]:
        return self._list(f"{USER_SVC}/clients", "clients")

    def resellers(self) -> list[dict]:
        return self._list(f"{USER_SVC}/resellers", "resellers")

    def service_providers(self) -> list[dict]:
        return self._list(f"{USER_SVC}/service-providers", "serviceProviders")

    def login(self) -> None:
        try:
            answer = self.http.request_json("POST", f"{USER_SVC}/auth/login", json={
                "email": self.credentials.email, "password": self.credentials.password})
        except UpstreamError as exc:
            if exc.status in (400, 401, 403):
                raise UpstreamError(f"payshack rejected the login for {self.credentials.email}: wrong email or "
                                    f"password (HTTP {exc.status})", status=exc.status, body=exc.body,
                                    permanent=True) from exc
            raise
        data = _data(answer, "login")
        self._token, self._refresh_token, self._client_id = data["token"], data["refreshToken"], data["clientId"]

    def _renew(self) -> None:
        """A new access token from the refresh token; a fresh login if the refresh token is refused."""
        self.renewals += 1
        try:
            answer = self.http.request_json("POST", f"{USER_SVC}/auth/refresh",
                                            json={"refreshToken": self._refresh_token})
            self._token = _data(answer, "refresh")["token"]
        except UpstreamError as exc:
            if exc.status != 401:
                raise
            self.login()

    def _get(self, path: str, params: dict | None = None) -> dict:
        if not self._token:
            self.login()
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._token}", "reseller-id": self._client_id}
            try:
                return _data(self.http.request_json("GET", path, params=params, headers=headers), path)
            except UpstreamError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                self._renew()
        raise AssertionError("unreachable")

    def _list(self, path: str, key: str) -> list[dict]:
        items = self._get(path).get(key)
        if not isinstance(items, list):
            raise UpstreamError(f"payshack {path} has no {key} list", permanent=True)
        return items

    def close(self) -> None:
        self.http.close()


def _data(answer, what: str) -> dict:
    """The ``data`` of PayShack's envelope; ``success`` may be missing, so status and data decide."""
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict):
        raise UpstreamError(f"payshack {what}: answer has no data object", body=str(answer)[:500], permanent=True)
    code = answer.get("statusCode", 200)
    if answer.get("success") is False or str(code) not in ("200", "201"):
        raise UpstreamError(f"payshack {what}: {answer.get('message') or 'unsuccessful'} (statusCode {code})",
                            body=str(answer)[:500], permanent=True)
    return answer["data"]
