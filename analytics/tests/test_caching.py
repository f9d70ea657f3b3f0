"""Metrics are cached per namespace version: an ingest shows on the very next request, a dead cache
costs nothing but speed."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from common import cache as namespaced
from conftest import build_row
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 2, 3, 9, tzinfo=UTC)
PARAMS = {"from_date": "2026-02-03", "to_date": "2026-02-03"}


def total(client) -> dict:
    return json.loads(client.get("/api/v1/metrics/overview", PARAMS).content, parse_float=Decimal)["data"]["total"]


def test_a_cached_metric_changes_on_the_very_next_request_after_an_ingest(
        api_client, viewer, django_capture_on_commit_callbacks):
    api_client.force_authenticate(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        transactions_upsert(rows=[build_row(created_at=DAY, updated_at=DAY, amount=Decimal("10.00"))])
    assert total(api_client)["count"] == 1
    hits = namespaced.counters.hits.get("metrics", 0)
    assert total(api_client)["count"] == 1
    assert namespaced.counters.hits["metrics"] == hits + 1  # the second answer came from the cache

    with django_capture_on_commit_callbacks(execute=True):
        transactions_upsert(rows=[build_row(created_at=DAY, updated_at=DAY, amount=Decimal("5.50"))])
    assert total(api_client) == {"count": 2, "amount": Decimal("15.50"), "currency": "INR",
                                 "by_currency": {"INR": Decimal("15.50")}}


class _Undo(Exception):
    pass


def test_an_upsert_that_rolls_back_leaves_the_cache_alone(api_client, viewer):
    api_client.force_authenticate(viewer)
    version = namespaced.namespace_version("metrics")
    with pytest.raises(_Undo), transaction.atomic():
        transactions_upsert(rows=[build_row(created_at=DAY, updated_at=DAY)])
        assert namespaced.namespace_version("metrics") == version + 1  # bumped in the write's transaction
        raise _Undo
    assert namespaced.namespace_version("metrics") == version  # and rolled back with it


DEAD_REDIS = {"default": {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1: a Redis that is down
    "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
}}


def test_with_redis_down_the_api_answers_from_the_database_and_health_says_so(api_client, viewer):
    transactions_upsert(rows=[build_row(created_at=DAY, updated_at=DAY)])
    api_client.force_authenticate(viewer)
    try:
        with override_settings(CACHES=DEAD_REDIS):  # Django swaps the cache handler for the block
            assert total(api_client)["count"] == 1
            assert total(api_client)["count"] == 1  # again, now inside the outage window
            health = json.loads(api_client.get("/api/v1/health").content)["data"]
            assert health["services"]["cache"]["status"] == "down"
            assert health["status"] == "degraded"
    finally:
        namespaced._outage["until"] = 0.0
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the real cache is back for the next test
