"""Cached answers grouped in namespaces, invalidated by bumping the namespace's version.

A cached value's key carries the version of its namespace (``metrics``, ``sync``,
``reconciliation``…). The versions live in the database (``common.models.CacheNamespace``), not in the
cache: whoever changes the data behind a namespace bumps its version in the same database transaction
(or, for a change already committed, right after it), so the bump commits with the data. A cache that
stalls or drops a write cannot lose an invalidation: an answer is never staler than the last commit.
Every key of an old version is simply never read again and expires by its TTL. Reading a version is one
primary-key lookup per cached answer.

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
from django.db import connection
from prometheus_client import Counter

logger = logging.getLogger(__name__)
T = TypeVar("T")

# A key that is always there while the cache works: read with each cached value (one round trip), its
# absence tells an unreachable cache from a miss.
_ALIVE_KEY = "cache:alive"
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
    if time.monotonic() < _outage["until"]:  # the cache was unreachable a moment ago: answer from the database
        counters.count(namespace, hit=False)
        return compute()
    full_key = f"{namespace}:{version}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    found = cache.get_many([full_key, _ALIVE_KEY])
    if full_key in found:
        counters.count(namespace, hit=True)
        return found[full_key]
    counters.count(namespace, hit=False)
    value = compute()
    if _ALIVE_KEY in found or cache_reachable():
        cache.set(full_key, value, ttl)
    return value


def cache_reachable() -> bool:
    """Whether the cache answers; after a failure it is not asked again for ``RETRY_AFTER_OUTAGE_S``."""
    if time.monotonic() < _outage["until"]:
        return False
    if cache.get(_ALIVE_KEY) is not None:
        return True
    cache.add(_ALIVE_KEY, 1, timeout=None)
    if cache.get(_ALIVE_KEY) is not None:
        return True
    _outage["until"] = time.monotonic() + RETRY_AFTER_OUTAGE_S
    logger.warning("cache unreachable: answering from the database for %.0f s", RETRY_AFTER_OUTAGE_S)
    return False


def namespace_version(namespace: str) -> int:
    """The namespace's current version, from the database (created on first use)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_TABLE} WHERE name = %s", [namespace])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    from common.models import CacheNamespace

    # A fresh, never-used number, not 1: values cached under the versions of an earlier database (a
    # restored backup, a test run) must not come back to life.
    return CacheNamespace.objects.get_or_create(name=namespace, defaults={"version": time.time_ns()})[0].version


def namespace_bump(namespace: str) -> None:
    """Make every value cached in ``namespace`` unreachable.

    Call it inside the transaction that changes the namespace's data (it commits or rolls back with it),
    or once that change has committed.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_TABLE} SET version = version + 1 WHERE name = %s", [namespace])
        if cursor.rowcount:
            return
    namespace_version(namespace)  # no row yet: a fresh number is itself a new version
    with connection.cursor() as cursor:  # and once more, in case another process had just created it
        cursor.execute(f"UPDATE {_TABLE} SET version = version + 1 WHERE name = %s", [namespace])


def namespace_versions(namespaces: list[str]) -> dict[str, int | None]:
    """Current version of each namespace, for the operations page (None: never used)."""
    from common.models import CacheNamespace

    found = dict(CacheNamespace.objects.filter(name__in=namespaces).values_list("name", "version"))
    return {namespace: found.get(namespace) for namespace in namespaces}


_TABLE = "common_cachenamespace"
