"""A Redis that stalls while data changes: the invalidation must not be lost with the writes it drops.

A real Redis of its own on a free port, paused with SIGSTOP (it stays up and keeps its keys, as under a
long fork or a swapped-out host) while a sync commits, then resumed: the next answers show the commit.
"""

import json
import signal
import socket
import subprocess
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from common import cache as namespaced
from conftest import build_row, wait_for
from integrations.choices import RunStatus
from integrations.core.runner import finish_run
from integrations.models import SyncRun
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db(transaction=True)  # the bumps of a real commit, as a sync makes them
DAY = datetime(2026, 2, 3, 9, tzinfo=UTC)
PARAMS = {"from_date": "2026-02-03", "to_date": "2026-02-03"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def stallable_redis():
    """A redis-server of this test's own (no disk), and the CACHES setting that points at it."""
    port = _free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout == b"PONG\n")
    caches = {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "IGNORE_EXCEPTIONS": True,
                    "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }}
    try:
        with override_settings(CACHES=caches):  # Django swaps the cache handler for the block
            yield server
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait()
        namespaced._outage["until"] = 0.0


def _get(client, path, **params) -> dict:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content, parse_float=Decimal)["data"]


def test_a_commit_during_a_redis_stall_shows_on_the_first_answer_after_it(api_client, viewer, stallable_redis):
    api_client.force_authenticate(viewer)
    transactions_upsert(rows=[build_row(created_at=DAY, updated_at=DAY, amount=Decimal("10.00"))])
    run = SyncRun.objects.create(source="vima", started_at=DAY, fetched=1, inserted=1)
    finish_run(run, RunStatus.SUCCEEDED)
    for _ in range(2):  # the second answers come from the cache
        assert _get(api_client, "/api/v1/metrics/overview", **PARAMS)["total"]["count"] == 1
        assert _get(api_client, "/api/v1/metrics/by-project", **PARAMS)[0]["count"] == 1
        assert _vima_status(api_client) == "succeeded"
    hits = namespaced.counters.hits.get("metrics", 0)

    stallable_redis.send_signal(signal.SIGSTOP)  # Redis stalls: writes to it time out and are dropped
    try:
        transactions_upsert(rows=[build_row(created_at=DAY, updated_at=DAY, amount=Decimal("5.50"))
                                  for _ in range(100)])
        failed = SyncRun.objects.create(source="vima", started_at=DAY.replace(hour=10), fetched=100, inserted=100)
        finish_run(failed, RunStatus.FAILED, error="vima answered HTTP 503")
    finally:
        stallable_redis.send_signal(signal.SIGCONT)
    namespaced._outage["until"] = 0.0  # the stall is over: the next request asks Redis again
    time.sleep(0.1)

    overview = _get(api_client, "/api/v1/metrics/overview", **PARAMS)["total"]
    assert (overview["count"], overview["amount"]) == (101, Decimal("560.00"))
    assert _get(api_client, "/api/v1/metrics/by-project", **PARAMS)[0]["count"] == 101
    assert _vima_status(api_client) == "failed"
    assert _get(api_client, "/api/v1/metrics/overview", **PARAMS)["total"]["count"] == 101
    assert namespaced.counters.hits["metrics"] == hits + 1  # the cache works again, at the new version


def _vima_status(client) -> str:
    return {row["source"]: row["status"] for row in _get(client, "/api/v1/sync/status")}["vima"]
