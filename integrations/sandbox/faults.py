"""Fault knobs shared by the sandbox servers: what can go wrong between a client and a provider."""

import random
import threading
from dataclasses import dataclass


@dataclass
class Faults:
    """Rates are shares of requests (0…1); ``malformed`` is a share of records."""

    latency_ms: int = 0
    error_5xx: float = 0.0
    rate_limit_429: float = 0.0
    retry_after_s: int = 1
    drop_connection: float = 0.0
    malformed: float = 0.0

    def __post_init__(self):
        self._random = random.Random(0)
        self._lock = threading.Lock()

    def roll(self) -> str | None:
        """The fault to inject into this request, if any: "drop", "5xx" or "429"."""
        with self._lock:
            value = self._random.random()
        for name, rate in (("drop", self.drop_connection), ("5xx", self.error_5xx), ("429", self.rate_limit_429)):
            if value < rate:
                return name
            value -= rate
        return None
