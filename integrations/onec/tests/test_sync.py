"""A 1C sync through the shared runner into the sales sink, over loopback."""

from datetime import date

import pytest

from integrations.conftest import TEST_RETRY
from integrations.core.runner import sync_run
from integrations.models import SyncRun
from integrations.onec.client import OneCSettings
from integrations.onec.sandbox import OneCSandbox
from integrations.onec.sync import OneCSource
from integrations.sandbox.pos_world import PosWorld
from integrations.sandbox.server import SandboxServer
from sales.models import Department

pytestmark = pytest.mark.django_db(transaction=True)


def test_departments_sync_parents_first_with_the_orphan_reported():
    world = PosWorld(seed=7, start=date(2026, 3, 2), days=2, departments=12)
    server = SandboxServer(OneCSandbox(world, api_key="k1", orphans=1)).start_in_thread()
    try:
        settings = OneCSettings(base_url=server.url + "/v1", api_key="k1", retry=TEST_RETRY)
        run = sync_run(source=OneCSource(settings), trigger="command")
        again = sync_run(source=OneCSource(settings), trigger="command")
    finally:
        server.stop()
    assert (run.status, run.sink, run.fetched, run.inserted, run.warnings) == ("succeeded", "sales", 15, 15, 1)
    assert (again.inserted, again.updated) == (0, 15)
    assert Department.objects.get(code="D011").parent.code == "ORG02"
    assert Department.objects.get(code="ORG01").children.count() == 10
    assert [d.code for d in Department.objects.all() if d.is_orphan] == ["X001"]
    assert SyncRun.objects.filter(source="onec").count() == 2
