"""A Vima sandbox on a free loopback port, over the shared test world (integrations/conftest.py)."""

from datetime import datetime, timedelta

import pytest

from integrations.conftest import TEST_RETRY
from integrations.sandbox.faults import Faults
from integrations.sandbox.server import SandboxServer
from integrations.sandbox.world import World
from integrations.vima.client import VimaSettings
from integrations.vima.sandbox import BASE_PATH, VimaSandbox

API_KEY = "sandbox-key"


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
