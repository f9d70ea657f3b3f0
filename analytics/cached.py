"""Metrics through the cache (namespace ``metrics``, SPEC 9's TTLs): what the API, its compat namespace and the
dashboard read, under the same keys, so each answer is computed once per version and its hits are counted."""

from analytics import selectors
from analytics.cache_namespaces import BY_PROJECT_TTL, BY_STATUS_TTL, METRICS, OVERVIEW_TTL, TRENDS_TTL
from analytics.selectors import MetricsQuery
from common.cache import cached

# The cached metrics by name: (selector, time to live). The compat API reads them through the same cache keys.
_METRICS = {"overview": (selectors.overview, OVERVIEW_TTL), "by-project": (selectors.by_project, BY_PROJECT_TTL),
            "by-status": (selectors.by_status, BY_STATUS_TTL)}


def cached_metric(name: str, query: MetricsQuery):
    """The metric ``name`` of ``query`` from the cache (namespace ``metrics``), or computed and cached."""
    select, ttl = _METRICS[name]
    return cached(METRICS, f"{name}|{query.cache_key()}", ttl=ttl, compute=lambda: select(query))


def cached_trends(query: MetricsQuery, step: str) -> dict:
    def compute():
        return {"period": query.period.as_dict(), "granularity": step,
                "points": selectors.trends(query, granularity=step)}

    return cached(METRICS, f"trends|{step}|{query.cache_key()}", ttl=TRENDS_TTL, compute=compute)
