"""A Vima sandbox on a free loopback port, over a small world with a clock the tests move."""

from datetime import date, datetime, timedelta

import pytest

from integrations.core.http import RetryPolicy
from integrations.sandbox.clock import Clock
from integrations.sandbox.faults import Faults
from integrations.sandbox.server import SandboxServer
from integrations.sandbox.world import World
from integrations.vima.client import VimaSettings
from integrations.vima.sandbox import BASE_PATH, VimaSandbox

API_KEY = "sandbox-key"
# Fast retries: the sandbox's faults are injected, not real outages.
TEST_RETRY = RetryPolicy(max_attempts=8, backoff_base_s=0.01, backoff_max_s=0.05)


@pytest.fixture
def world():
    return World(seed=42, size=2_000, start=date(2026, 1, 10), days=3)


@pytest.fixture
def clock(world):
    """Frozen after every payment and every change has happened."""
    return Clock(world.end + timedelta(days=1))


@pytest.fixture
def start_vima(world, clock):
    servers = []

    def start(*, faults: Faults | None = None, malformed: float = 0.0, api_key: str = API_KEY) -> VimaSettings:
        app = VimaSandbox(world, api_key=API_KEY, clock=clock, malformed=malformed)
        server = SandboxServer(app, faults=faults).start_in_thread()
        servers.append(server)
        return VimaSettings(base_url=server.url + BASE_PATH, api_key=api_key, timeout_s=5, retry=TEST_RETRY)

    yield start
    for server in servers:
        server.stop()


def at(world: World, hours: float) -> datetime:
    return world.start + timedelta(hours=hours)
