"""The iiko sandbox and client over loopback: token reuse and one refresh, the DateRange rules, orders
closing after midnight, deleted orders left out, departments as XML."""

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from integrations.conftest import TEST_RETRY
from integrations.core.errors import UpstreamError
from integrations.iiko.client import IikoClient, IikoSettings
from integrations.iiko.sandbox import IikoSandbox
from integrations.sandbox.clock import Clock
from integrations.sandbox.pos_world import PosWorld
from integrations.sandbox.server import SandboxServer

START = date(2026, 3, 2)


@pytest.fixture
def world():
    return PosWorld(seed=7, start=START, days=4, departments=6)


@pytest.fixture
def iiko(world):
    app = IikoSandbox(world, login="admin", password="secret", clock=Clock(datetime(2026, 4, 1)))
    server = SandboxServer(app).start_in_thread()
    client = IikoClient(IikoSettings(base_url=server.url, login="admin", password="secret", timeout_s=5,
                                     retry=TEST_RETRY))
    yield app, client, server.url
    client.close()
    server.stop()


def test_token_is_reused_then_refreshed_once_on_expiry(iiko):
    app, client, _ = iiko
    client.sales(START, START + timedelta(days=1))
    client.departments_xml()
    assert (app.logins, app.rejected) == (1, 0)
    app.expire_tokens()
    client.sales(START, START + timedelta(days=1))
    assert (app.logins, app.rejected, client.logins) == (2, 1, 2)


def test_wrong_password_is_a_permanent_error(iiko):
    app, _, url = iiko
    client = IikoClient(IikoSettings(base_url=url, login="admin", password="wrong", retry=TEST_RETRY))
    with pytest.raises(UpstreamError) as caught:
        client.departments_xml()
    assert caught.value.status == 401 and app.logins == 0


def test_empty_range_is_409_and_to_is_exclusive(iiko, world):
    app, client, url = iiko
    token = httpx.get(f"{url}/resto/api/auth", params={"login": "admin", "pass": app.password_sha1}).text
    body = {"reportType": "SALES", "groupByRowFields": ["Department.Id", "CloseTime", "OrderNum"],
            "aggregateFields": ["DishSumInt"],
            "filters": {"OpenDate.Typed": {"filterType": "DateRange", "from": "2026-03-02", "to": "2026-03-02"}}}
    answer = httpx.post(f"{url}/resto/api/v2/reports/olap", params={"key": token}, json=body)
    assert answer.status_code == 409
    rows = client.sales(START, START + timedelta(days=1))
    opened = [o for o in world.orders_opened(START, START + timedelta(days=1)) if not o.deleted]
    assert len(rows) == len(opened) > 0
    assert sum(Decimal(str(r["DishSumInt"])) for r in rows) == sum(o.amount for o in opened)


def test_orders_close_after_midnight_and_deleted_ones_are_left_out(world):
    orders = world.orders_opened(START, world.end)
    assert any(o.closed_at.date() > o.opened_at.date() for o in orders)
    deleted = [o for o in orders if o.deleted]
    assert deleted
    truth = world.daily_truth(START, world.end)
    total = sum(amount for amount, _ in truth.values())
    # Every order not deleted that closed inside the world's days is in the truth, by its close day.
    assert total == sum(o.amount for o in orders if not o.deleted and o.closed_at.date() < world.end)


def test_departments_xml_lists_children_before_parents(iiko, world):
    _, client, _ = iiko
    items = ET.fromstring(client.departments_xml()).findall("corporateItemDto")
    types = [item.findtext("type") for item in items]
    assert types.count("DEPARTMENT") == 6 and types.count("JURPERSON") == 1
    assert types.index("JURPERSON") > types.index("DEPARTMENT")
    first = items[0]
    assert first.findtext("parentId") == world.organizations[0].iiko_id
