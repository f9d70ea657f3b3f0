"""The 1C exchange sandbox and client over loopback."""

from datetime import date

import pytest

from integrations.conftest import TEST_RETRY
from integrations.core.errors import UpstreamError
from integrations.onec.client import OneCClient, OneCSettings
from integrations.onec.sandbox import MISSING_PARENT, OneCSandbox
from integrations.sandbox.pos_world import PosWorld
from integrations.sandbox.server import SandboxServer


@pytest.fixture
def server():
    world = PosWorld(seed=7, start=date(2026, 3, 2), days=2, departments=12)
    server = SandboxServer(OneCSandbox(world, api_key="k1", orphans=1)).start_in_thread()
    yield server
    server.stop()


def test_objects_list_roots_orphans_and_parents_after_children(server):
    client = OneCClient(OneCSettings(base_url=server.url + "/v1", api_key="k1", retry=TEST_RETRY))
    objects = client.objects()
    codes = [o["object_code"] for o in objects]
    assert len(objects) == 12 + 1 + 2
    assert {o["object_code"] for o in objects if o["object_parent"] == "0"} == {"ORG01", "ORG02"}
    assert codes.index("D001") < codes.index("ORG01")
    assert [o["object_code"] for o in objects if o["object_parent"] == MISSING_PARENT] == ["X001"]
    client.close()


def test_wrong_api_key_is_refused(server):
    client = OneCClient(OneCSettings(base_url=server.url + "/v1", api_key="nope", retry=TEST_RETRY))
    with pytest.raises(UpstreamError) as caught:
        client.objects()
    assert caught.value.status == 401
    client.close()
