"""A PayShack sandbox (API and portal) on a free loopback port, over the small world the Vima tests use."""

import shutil

import pytest
from django.conf import settings

from integrations.conftest import TEST_RETRY
from integrations.payshack.client import PayShackClient, PayShackCredentials
from integrations.payshack.config import payshack_context
from integrations.payshack.portal import PortalFetcher, PortalSettings
from integrations.payshack.sandbox.app import PayShackSandbox
from integrations.payshack.sync import ApiFetcher, PayShackSource, WindowPolicy
from integrations.sandbox.faults import Faults
from integrations.sandbox.server import SandboxServer

EMAIL, PASSWORD = "finance@91game.example", "right-password"
# The world starts 2026-01-10 00:00 UTC (05:30 IST); six IST days back from "now" cover all of it.
POLICY = WindowPolicy(initial_days=6)


@pytest.fixture
def payshack(world, clock):
    """Starts a sandbox: ``payshack(token_ttl_s=…, faults=…)`` → the running server (``server.app`` is the app)."""
    servers = []

    def start(*, token_ttl_s: float = 1800, faults: Faults | None = None, layout: str = "standard"):
        app = PayShackSandbox(world, email=EMAIL, password=PASSWORD, clock=clock, token_ttl_s=token_ttl_s,
                              layout=layout)
        server = SandboxServer(app, faults=faults).start_in_thread()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def api_source(server, clock, *, password: str = PASSWORD, policy: WindowPolicy = POLICY):
    client = PayShackClient(api_url=server.url, credentials=PayShackCredentials(EMAIL, password), timeout_s=5,
                            retry=TEST_RETRY)
    return PayShackSource(ApiFetcher(client), context=payshack_context(), now=clock.now(), policy=policy)


def portal_source(server, clock, *, password: str = PASSWORD, session_store=None, policy: WindowPolicy = POLICY):
    if not shutil.which(settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE):
        pytest.fail(f"Chromium is not at {settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE}: run `make test`, which installs "
                    "it, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    portal = PortalSettings(portal_url=f"{server.url}/portal", email=EMAIL, password=password,
                            chromium_path=settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE, timeout_ms=15_000)
    return PayShackSource(PortalFetcher(portal, session_store=session_store), context=payshack_context(),
                          now=clock.now(), policy=policy)


@pytest.fixture
def payshack_mapping(transactional_db):
    """The mapping migration 0003 seeds; transactional tests flush the tables, so it is put back here."""
    from transactions.models import ProjectMapping

    ProjectMapping.objects.get_or_create(source="payshack", provider_name="91G_TECH_PVT_LTD",
                                         defaults={"project": "91game"})
