"""PayShack's JSON API client (SPEC 5.2): login, refresh on 401, pages of pay-ins and pay-outs, metadata.

HTTP only; no ORM, no normalizing. Transient failures retry as for every provider (RetryingHttp);
an expired token is renewed with the refresh token (or a new login) and the call repeated once.
"""

from dataclasses import dataclass
from datetime import date

from integrations.core.errors import UpstreamError
from integrations.core.http import RetryingHttp, RetryPolicy

USER_SVC = "/indigate-user-svc/api/v1"
CORE_SVC = "/indigate-core-svc/api/v1"
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
        return self._list(f"{CORE_SVC}/client/fetch-all-client")

    def resellers(self) -> list[dict]:
        return self._list(f"{CORE_SVC}/reseller/fetch-all-reseller")

    def service_providers(self) -> list[dict]:
        return self._list(f"{CORE_SVC}/service-provider/fetch-all-sp")

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

    def _get(self, path: str, params: dict | None = None, *, data_list: bool = False) -> dict | list:
        if not self._token:
            self.login()
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._token}", "reseller-id": self._client_id}
            try:
                return _data(self.http.request_json("GET", path, params=params, headers=headers), path,
                             data_list=data_list)
            except UpstreamError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                self._renew()
        raise AssertionError("unreachable")

    def _list(self, path: str) -> list[dict]:
        """A metadata list: the documentation does not show the container, so ``data`` is the list itself
        or an object holding exactly one list."""
        data = self._get(path, data_list=True)
        if isinstance(data, list):
            return data
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise UpstreamError(f"payshack {path}: data holds {len(lists)} lists where one was expected "
                                f"(keys {sorted(data)})", body=str(data)[:500], permanent=True)
        return lists[0]

    def close(self) -> None:
        self.http.close()


def _data(answer, what: str, *, data_list: bool = False) -> dict | list:
    """The ``data`` of PayShack's envelope; ``success`` may be missing, so status and data decide.

    ``data`` is an object, or with ``data_list`` also a list (the metadata endpoints)."""
    shapes = (dict, list) if data_list else dict
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), shapes):
        raise UpstreamError(f"payshack {what}: answer has no data {'object or list' if data_list else 'object'}",
                            body=str(answer)[:500], permanent=True)
    code = answer.get("statusCode", 200)
    if answer.get("success") is False or str(code) not in ("200", "201"):
        raise UpstreamError(f"payshack {what}: {answer.get('message') or 'unsuccessful'} (statusCode {code})",
                            body=str(answer)[:500], permanent=True)
    return answer["data"]
