"""A sync whose worker dies: a real `manage.py sync vima` process killed with SIGKILL mid-run, and the
runs such deaths leave behind (marked failed by the next run or by the sweep, with what they committed)."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from common.locks import job_lock
from common.services import lease_acquire
from common.tests.locking import held_elsewhere
from conftest import wait_for
from integrations.conftest import TEST_RETRY
from integrations.core.runner import ABANDONED, runs_sweep, sync_run
from integrations.models import SyncRun
from integrations.sandbox.clock import Clock
from integrations.sandbox.faults import Faults
from integrations.sandbox.server import SandboxServer
from integrations.sandbox.world import World
from integrations.vima.client import VimaSettings
from integrations.vima.sandbox import BASE_PATH, VimaSandbox
from integrations.vima.sync import VimaSource
from integrations.vima.tests.conftest import API_KEY
from integrations.vima.tests.test_sync import _stored_totals, _truth
from monitoring.tests.conftest import METRICS_TOKEN, sample

pytestmark = pytest.mark.django_db(transaction=True)  # the killed process and the test share committed rows

# Long enough that the killed writer's reader process is stuck in a request when the writer dies, and
# longer than the next run's wait for the lock (runner.LOCK_WAIT): the lock must not depend on the reader.
STUCK_REQUEST_MS = 15_000


@pytest.fixture
def big_world():
    """Several batches (runner.BATCH_ROWS) of Vima operations, so that a kill lands between two of them."""
    world = World(seed=42, size=8_000, start=date(2026, 1, 10), days=3)
    return world, Clock(world.end + timedelta(days=1))


@pytest.fixture
def vima_server(big_world):
    world, clock = big_world
    server = SandboxServer(VimaSandbox(world, api_key=API_KEY, clock=clock), faults=Faults()).start_in_thread()
    yield server
    server.stop()


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_sync_process(server) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "VIMA_BASE_URL": server.url + BASE_PATH,
           "VIMA_API_KEY": API_KEY, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.Popen([sys.executable, "manage.py", "sync", "vima"], cwd=Path(django_settings.BASE_DIR),
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_sync_killed_mid_run_is_marked_failed_and_the_next_run_starts_at_once(
        big_world, vima_server, client, finance_admin, settings):
    if connection.vendor != "postgresql":
        pytest.skip("another process reaches the test database only on PostgreSQL (SQLite's is in memory)")
    world, clock = big_world
    process = _start_sync_process(vima_server)
    try:
        wait_for(lambda: SyncRun.objects.filter(status="running", inserted__gt=0).exists(), seconds=60)
        vima_server.faults.latency_ms = STUCK_REQUEST_MS  # the reader's next request hangs
        time.sleep(1.5)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        process.kill()
    vima_server.faults.latency_ms = 0
    killed = SyncRun.objects.get()
    assert killed.status == "running" and killed.finished_at is None

    source = VimaSource(VimaSettings(base_url=vima_server.url + BASE_PATH, api_key=API_KEY, timeout_s=5,
                                     retry=TEST_RETRY))
    after = sync_run(source=source, trigger="command")  # not refused: the lock died with the killed process

    killed.refresh_from_db()
    truth = _truth(world, clock)
    assert after.status == "succeeded"
    assert _stored_totals() == truth
    assert killed.status == "failed" and killed.finished_at is not None
    assert killed.error.startswith(f"{ABANDONED} (worker {killed.worker}; found by the next run)")
    assert killed.inserted > 0 and killed.inserted + after.inserted == truth["total"]

    settings.METRICS_TOKEN = METRICS_TOKEN
    scraped = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).content.decode()
    assert 'status="running"' not in scraped
    labels = {"provider": "vima", "kind": "transactions"}
    samples = _samples(scraped)
    assert sample(samples, "hub_sync_runs_total", status="failed", **labels) == 1
    assert sample(samples, "hub_sync_runs_total", status="succeeded", **labels) == 1
    assert sample(samples, "hub_sync_rows_total", outcome="inserted", **labels) == truth["total"]
    client.force_login(finance_admin)
    page = client.get("/admin/operations/")
    assert [run.pk for run in page.context["failed_runs"]] == [killed.pk]
    assert {run.status for run in page.context["latest_runs"]} == {"failed", "succeeded"}


def _samples(text: str) -> dict:
    from prometheus_client.parser import text_string_to_metric_families

    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _left_running(**fields) -> SyncRun:
    return SyncRun.objects.create(source="vima", started_at=timezone.now() - timedelta(minutes=3), pages=20,
                                  fetched=2_000, inserted=2_000, written=2_000, **fields)


def _dead_holder() -> str:
    """The lock holder name of a process of this host that has really exited."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return f"{socket.gethostname()}:{gone.pid}:deadbeef"


def test_the_next_run_marks_a_run_left_running_failed_and_keeps_its_counts(start_vima):
    left = _left_running(worker="elsewhere:4242:0000")
    run = sync_run(source=VimaSource(start_vima()), trigger="command")
    left.refresh_from_db()
    assert run.status == "succeeded"
    assert (left.status, left.inserted, left.fetched) == ("failed", 2_000, 2_000)
    assert left.error == f"{ABANDONED} (worker elsewhere:4242:0000; found by the next run)"


def test_the_sweep_marks_runs_whose_lock_is_free_and_leaves_a_live_run_alone():
    dead = _left_running(worker="elsewhere:1:0000")
    assert runs_sweep() == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.error.startswith(ABANDONED) and dead.inserted == 2_000

    live = _left_running(worker="elsewhere:2:0000")
    with held_elsewhere("sync:vima"):
        assert runs_sweep() == []
    live.refresh_from_db()
    assert (live.status, live.finished_at) == ("running", None)


def test_a_lease_held_by_a_dead_process_of_this_host_is_taken_over_at_once():
    if connection.vendor == "postgresql":
        pytest.skip("the lease stands in for the advisory lock on SQLite only")
    assert lease_acquire(name="sync:vima", holder=_dead_holder(), ttl=timedelta(minutes=5))
    with job_lock("sync:vima") as lock:
        assert lock.holder.startswith(f"{socket.gethostname()}:{os.getpid()}:")


def test_a_lease_held_by_a_live_process_or_another_host_is_not_taken_over():
    if connection.vendor == "postgresql":
        pytest.skip("the lease stands in for the advisory lock on SQLite only")
    for holder in (f"{socket.gethostname()}:{os.getppid()}:alive000", "another-host:1:00000000"):
        assert lease_acquire(name=f"sync:{holder}", holder=holder, ttl=timedelta(minutes=5))
        with pytest.raises(Exception, match="held by another job"), job_lock(f"sync:{holder}"):
            pass
