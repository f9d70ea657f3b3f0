"""Vima's collector API client (SPEC 5.1): pages of operations. HTTP only; no ORM, no normalizing."""

from dataclasses import dataclass

from integrations.core.errors import UpstreamError
from integrations.core.http import RetryingHttp, RetryPolicy

PAGE_SIZE = 100  # the API's maximum ``count``


@dataclass(frozen=True)
class VimaSettings:
    base_url: str  # e.g. http://127.0.0.1:8701/collector1/api/v1
    api_key: str
    timeout_s: float = 30.0
    retry: RetryPolicy = RetryPolicy()


class VimaClient:
    """Reads operations; every call authenticates with the ``apikey`` query parameter."""

    def __init__(self, settings: VimaSettings):
        self.settings = settings
        self.http = RetryingHttp(base_url=settings.base_url, timeout_s=settings.timeout_s, policy=settings.retry,
                                 provider="vima")

    def operations(self, **filters) -> list[dict]:
        """One page: ``filters`` are the API's query parameters (``from_operation_create_id``, ``count``, …)."""
        params = {"apikey": self.settings.api_key, "count": PAGE_SIZE, **filters}
        page = self.http.request_json("GET", "/operation", params=params)
        if not isinstance(page, list):
            raise UpstreamError(f"vima answered {type(page).__name__} where a list of operations was expected",
                                body=str(page)[:500], permanent=True)
        return page

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
