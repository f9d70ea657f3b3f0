"""The 1C exchange service's client (SPEC 14): the objects list. HTTP only; no ORM, no normalizing."""

from dataclasses import dataclass

from integrations.core.errors import UpstreamError
from integrations.core.http import RetryingHttp, RetryPolicy

API_KEY_HEADER = "X-API-Key"


@dataclass(frozen=True)
class OneCSettings:
    base_url: str  # e.g. http://127.0.0.1:8704/v1
    api_key: str
    timeout_s: float = 30.0
    retry: RetryPolicy = RetryPolicy()


class OneCClient:
    """Reads ``GET {base}/objects`` with the API key in a header."""

    def __init__(self, settings: OneCSettings):
        self.http = RetryingHttp(base_url=settings.base_url, timeout_s=settings.timeout_s, policy=settings.retry,
                                 provider="onec", headers={API_KEY_HEADER: settings.api_key})

    def objects(self) -> list[dict]:
        answer = self.http.request_json("GET", "/objects")
        if not isinstance(answer, list):
            raise UpstreamError(f"1C answered {type(answer).__name__} where a list of objects was expected",
                                body=str(answer)[:500], permanent=True)
        return answer

    def close(self) -> None:
        self.http.close()
