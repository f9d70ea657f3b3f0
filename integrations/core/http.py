"""HTTP for provider clients: one keep-alive httpx client, explicit timeouts, retries with backoff.

Retried: timeouts, dropped connections, 5xx and 429 (honouring ``Retry-After``). Not retried:
other 4xx, which are the caller's mistake or a credentials problem and end the run.
"""

import json
import logging
import random
import time
from dataclasses import dataclass
from decimal import Decimal

import httpx

from integrations.core.errors import UpstreamError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_base_s: float = 0.2
    backoff_max_s: float = 30.0
    # A provider asking for a longer pause than this is treated as down for this run.
    retry_after_max_s: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry_after_max_s)
        # Full jitter: concurrent workers retrying one provider spread out instead of retrying in step.
        return random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1)))


class RetryingHttp:
    """GET/POST returning parsed JSON (numbers as Decimal, never float) or the response, retrying transient failures."""

    def __init__(self, *, base_url: str, timeout_s: float, policy: RetryPolicy, provider: str, **client_kwargs):
        self.provider, self.policy = provider, policy
        timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0))
        self.client = httpx.Client(base_url=base_url, timeout=timeout, **client_kwargs)

    def request_json(self, method: str, path: str, **kwargs):
        return _parse_json(self.request(method, path, **kwargs), self.provider)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        """The response to a request that succeeded (2xx or 3xx), after retrying transient failures."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.client.request(method, path, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                self._wait_or_raise(attempt, None, f"{type(exc).__name__}: {exc}", status=None)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                retry_after = _retry_after(response)
                self._wait_or_raise(attempt, retry_after, f"HTTP {response.status_code}", status=response.status_code,
                                    body=response.text)
                continue
            if response.status_code >= 400:
                raise UpstreamError(
                    f"{self.provider} answered HTTP {response.status_code} to {method} {path}: {response.text[:200]}",
                    status=response.status_code, body=response.text, permanent=True,
                )
            return response

    def _wait_or_raise(self, attempt: int, retry_after: float | None, reason: str, *, status, body: str = ""):
        if attempt >= self.policy.max_attempts:
            raise UpstreamError(f"{self.provider} failed {attempt} times, last: {reason}", status=status, body=body)
        delay = self.policy.delay(attempt, retry_after)
        logger.info("%s: %s; retry %d in %.2fs", self.provider, reason, attempt, delay)
        time.sleep(delay)

    def close(self) -> None:
        self.client.close()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _parse_json(response: httpx.Response, provider: str):
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise UpstreamError(
            f"{provider} sent a body that is not JSON: {exc}", status=response.status_code, body=response.text
        ) from exc
