"""Cached answers grouped in namespaces, invalidated by bumping the namespace's version.

A cached value's key carries the version of its namespace (``metrics``, ``sync``,
``reconciliation``…). Whoever changes the data behind a namespace bumps its version once it has
committed; every key of the old version is then simply never read again and expires by its TTL.
No key scans, no lists of keys to delete, one round trip to invalidate.

When the cache is down (django-redis is set to ignore its errors) reads miss and writes are
dropped: answers come from the database, and ``/api/v1/health`` says the cache is down.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from threading import Lock
from typing import TypeVar

from django.core.cache import cache
from prometheus_client import Counter

logger = logging.getLogger(__name__)
T = TypeVar("T")

_VERSION_KEY = "ns:{}"
# After the cache failed to answer, requests skip it for this long instead of each waiting for its
# connection timeout; then one request tries again.
RETRY_AFTER_OUTAGE_S = 5.0
_outage = {"until": 0.0}


# The same counts for /metrics: prometheus-client's multiprocess mode adds up every web process's.
_HITS = Counter("hub_cache_hits", "Cached answers found, per cache namespace.", ["namespace"])
_MISSES = Counter("hub_cache_misses", "Cached answers computed afresh, per cache namespace.", ["namespace"])


class _Counters:
    """Hits and misses of this process, per namespace (the operations page and /metrics show them)."""

    def __init__(self):
        self._lock, self.hits, self.misses = Lock(), {}, {}

    def count(self, namespace: str, *, hit: bool) -> None:
        table = self.hits if hit else self.misses
        with self._lock:
            table[namespace] = table.get(namespace, 0) + 1
        (_HITS if hit else _MISSES).labels(namespace).inc()


counters = _Counters()


def cached(namespace: str, key: str, *, ttl: int, compute: Callable[[], T]) -> T:
    """The value cached under ``key`` in the current version of ``namespace``, or ``compute()`` stored there."""
    version = namespace_version(namespace)
    if version is None:  # the cache is unreachable: answer from the database
        counters.count(namespace, hit=False)
        return compute()
    full_key = f"{namespace}:{version}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    value = cache.get(full_key, _MISSING)
    if value is not _MISSING:
        counters.count(namespace, hit=True)
        return value
    counters.count(namespace, hit=False)
    value = compute()
    cache.set(full_key, value, ttl)
    return value


def namespace_version(namespace: str) -> int | None:
    """The namespace's current version (created on first use); None when the cache cannot be reached."""
    if time.monotonic() < _outage["until"]:
        return None
    key = _VERSION_KEY.format(namespace)
    version = cache.get(key)
    if version is None:
        # A fresh, never-used number, not 1: if the version was evicted, values stored under the
        # versions before it must not come back to life.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
        if version is None:
            _outage["until"] = time.monotonic() + RETRY_AFTER_OUTAGE_S
            logger.warning("cache unreachable: answering from the database for %.0f s", RETRY_AFTER_OUTAGE_S)
    return version


def namespace_bump(namespace: str) -> None:
    """Make every value cached in ``namespace`` unreachable; call it after the change has committed."""
    key = _VERSION_KEY.format(namespace)
    try:
        cache.incr(key)
    except ValueError:  # no version yet (or evicted): any fresh number invalidates what was there
        cache.set(key, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 — a cache outage must not fail the write that triggered this
        logger.warning("could not bump cache namespace %s", namespace, exc_info=True)


def namespace_versions(namespaces: list[str]) -> dict[str, int | None]:
    """Current version of each namespace, for the operations page."""
    return {namespace: cache.get(_VERSION_KEY.format(namespace)) for namespace in namespaces}


_MISSING = object()
