"""iiko through the shared runner into the sales sink, over loopback: sales equal the world's truth per
department, day and hour; a resync replaces exactly its day; orders closing after midnight land on the next
day; the token is reused, then refreshed once; parents listed after their children are written."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django_celery_beat.models import PeriodicTask

from common.services import schedules_apply
from integrations.conftest import TEST_RETRY
from integrations.core.runner import sync_run
from integrations.iiko.client import IikoSettings
from integrations.iiko.sandbox import IikoSandbox
from integrations.iiko.sources import days_of_mode
from integrations.iiko.sync import IikoSource
from integrations.iiko.tokens import CacheTokens
from integrations.models import SyncRun
from integrations.sandbox.clock import Clock
from integrations.sandbox.pos_world import PosWorld
from integrations.sandbox.server import SandboxServer
from sales.models import DailySales, Department, HourlySales
from sales.selectors import days_with_gaps

pytestmark = pytest.mark.django_db(transaction=True)

START = date(2026, 3, 2)
DAYS = [START + timedelta(days=i) for i in range(5)]  # the world's 4 days of orders and the morning after


@pytest.fixture
def world():
    return PosWorld(seed=7, start=START, days=4, departments=12)


@pytest.fixture
def iiko(world, tmp_path):
    app = IikoSandbox(world, login="admin", password="secret", clock=Clock(datetime(2026, 4, 1)))
    server = SandboxServer(app).start_in_thread()
    settings = IikoSettings(base_url=server.url, login="admin", password="secret", timeout_s=10, retry=TEST_RETRY)
    # Runs read in their reader process: the token store must be shared between processes, as the product's
    # caches are (files, or Redis); the tests' local-memory cache is per process.
    tokens = CacheTokens(FileBasedCache(str(tmp_path / "tokens"), {}))
    yield app, lambda days: IikoSource(settings, days=days, tokens=tokens)
    server.stop()


def _daily():
    return {(row.department.code, row.day): (row.amount, row.orders)
            for row in DailySales.objects.select_related("department") if row.orders}


def _hourly():
    return {(row.department.code, row.day, row.hour): (row.amount, row.orders)
            for row in HourlySales.objects.select_related("department")}


def test_sales_equal_the_truth_per_department_day_and_hour(iiko, world):
    app, source = iiko
    run = sync_run(source=source(DAYS), trigger="command")
    assert (run.status, run.sink, run.quarantined) == ("succeeded", "sales", 0)
    assert _hourly() == world.sales(DAYS[0], DAYS[-1] + timedelta(days=1))
    assert _daily() == world.daily_truth(DAYS[0], DAYS[-1] + timedelta(days=1))
    # Every department iiko lists has a row for every synced day; D007 (a summer terrace) sold nothing in March.
    assert DailySales.objects.count() == 12 * len(DAYS)
    assert set(DailySales.objects.filter(department__code="D007").values_list("amount", "orders")) == {
        (Decimal("0.00"), 0)}
    assert DailySales.objects.filter(department__kind=Department.Kind.ORGANIZATION).count() == 0
    assert set(DailySales.objects.values_list("currency", flat=True)) == {"KZT"}


def test_a_resync_changes_nothing_and_replaces_exactly_its_day(iiko, world):
    app, source = iiko
    sync_run(source=source(DAYS), trigger="command")
    before = list(DailySales.objects.order_by("pk").values_list("pk", "department", "day", "amount", "orders"))
    hourly_before = _hourly()
    again = sync_run(source=source(DAYS[1:2]), trigger="command")
    # The 14 corporation items are refreshed; the day's 12 daily rows are unchanged.
    assert (again.inserted, again.updated, again.unchanged) == (0, 14, 12)
    assert list(DailySales.objects.order_by("pk").values_list("pk", "department", "day", "amount", "orders")) == before
    assert _hourly() == hourly_before
    # Spoil two days; a resync of one of them puts that one back and leaves the other alone.
    spoiled = DailySales.objects.filter(department__code="D001")
    spoiled.filter(day=DAYS[1]).update(amount=Decimal(1), orders=1)
    spoiled.filter(day=DAYS[2]).update(amount=Decimal(2), orders=2)
    HourlySales.objects.create(department=Department.objects.get(code="D001"), day=DAYS[1], hour=5, amount=9,
                               orders=1, currency="KZT", synced_at=datetime(2026, 4, 1, tzinfo=None).astimezone())
    fixed = sync_run(source=source(DAYS[1:2]), trigger="command")
    assert (fixed.inserted, fixed.updated) == (0, 15)
    assert _daily()[("D001", DAYS[1])] == world.daily_truth(DAYS[1], DAYS[2])[("D001", DAYS[1])]
    assert _daily()[("D001", DAYS[2])] == (Decimal(2), 2)
    assert _hourly() == hourly_before


def test_orders_closing_after_midnight_land_on_the_next_day_and_stay(iiko, world):
    app, source = iiko
    late = [o for o in world.orders_opened(DAYS[0], DAYS[-1])
            if not o.deleted and o.closed_at.date() > o.opened_at.date()]
    assert len(late) > 10  # the world has them: restaurants open until midnight
    sync_run(source=source(DAYS[1:2]), trigger="command")  # only the day after some of them opened
    sync_run(source=source(DAYS[:1]), trigger="command")  # then the day they opened: must not take them back
    daily = _daily()
    for day in DAYS[:2]:
        truth = world.daily_truth(day, day + timedelta(days=1))
        assert {key: value for key, value in daily.items() if key[1] == day} == truth
    crossing = [o for o in late if o.opened_at.date() == DAYS[0]]
    total = sum(o.amount for o in world.orders_opened(DAYS[0], DAYS[2])
                if not o.deleted and o.closed_at.date() < DAYS[2])
    assert crossing and sum(amount for (_, day), (amount, _) in daily.items()) == total
    assert HourlySales.objects.filter(day=DAYS[1], hour__lt=3).exists()


def test_the_token_is_reused_across_runs_then_refreshed_once(iiko):
    app, source = iiko
    sync_run(source=source(DAYS[:1]), trigger="command")
    sync_run(source=source(DAYS[1:2]), trigger="command")
    assert (app.logins, app.rejected) == (1, 0)  # the second run took the first run's token from the cache
    app.expire_tokens()
    run = sync_run(source=source(DAYS[2:3]), trigger="command")
    assert (run.status, app.logins, app.rejected) == ("succeeded", 2, 1)


def test_departments_listed_before_their_organization_get_their_parent(iiko, world):
    app, source = iiko
    run = sync_run(source=source([]), trigger="command")
    assert (run.status, run.fetched, run.inserted, run.warnings) == ("succeeded", 14, 14, 0)
    assert Department.objects.get(code="D011").parent.code == "ORG02"
    assert Department.objects.get(code="ORG01").children.count() == 10
    assert Department.objects.get(code="D003").iiko_id == world.by_code["D003"].iiko_id
    assert DailySales.objects.count() == 0


def test_the_gap_check_finds_and_fills_days_with_a_department_missing(iiko, world):
    app, source = iiko
    sync_run(source=source(DAYS[:3]), trigger="command")
    assert days_with_gaps(last=DAYS[3], days=4) == [DAYS[3]]  # never synced
    DailySales.objects.filter(department__code="D004", day=DAYS[1]).delete()
    gaps = days_with_gaps(last=DAYS[3], days=4)
    assert gaps == [DAYS[1], DAYS[3]]
    sync_run(source=source(gaps), trigger="schedule", mode="gaps")
    assert days_with_gaps(last=DAYS[3], days=4) == []
    assert _daily() == world.daily_truth(DAYS[0], DAYS[4])
    assert SyncRun.objects.filter(source="iiko").count() == 2


def test_modes_name_their_days_and_a_bad_one_is_refused():
    assert days_of_mode("2026-03-02..2026-03-04") == DAYS[:3]
    assert days_of_mode("departments") == []
    with pytest.raises(ValueError, match="expected '', departments, gaps"):
        days_of_mode("yesterday")
    with pytest.raises(ValueError, match="at most 93 days"):
        days_of_mode("2026-03-04..2026-01-01")


def test_beat_runs_the_nightly_sync_at_two_and_the_gap_check_at_ten_local(settings):
    schedules_apply()
    nightly = PeriodicTask.objects.select_related("crontab").get(name="sync iiko")
    gaps = PeriodicTask.objects.select_related("crontab").get(name="sync iiko gaps")
    assert (nightly.crontab.hour, nightly.crontab.minute, str(nightly.crontab.timezone)) == ("2", "0", "Asia/Almaty")
    assert (gaps.crontab.hour, gaps.crontab.minute, json.loads(gaps.kwargs)) == ("10", "0", {"source": "iiko",
                                                                                             "mode": "gaps"})
