"""A source declared in this package only syncs, is scheduled, routed and listed: nothing else changed."""

import pytest

from common.scheduling import registered_schedules
from common.sources import registered, source_choices
from config.queues import all_queues, route_provider_sync
from integrations.models import SyncRun, SyncState
from integrations.selectors import sync_status
from integrations.tasks import sync_provider
from integrations.tests.throwaway.sources import COUNT, TOY
from transactions.models import Transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def toy():
    with registered(TOY):
        yield TOY


def test_it_syncs_through_the_task_into_its_sink_and_a_rerun_changes_nothing(toy):
    run = SyncRun.objects.get(pk=sync_provider.apply(kwargs={"source": "toy"}).get())
    assert (run.status, run.sink, run.fetched, run.inserted, run.written, run.pages) == (
        "succeeded", "transactions", COUNT, COUNT, COUNT, 3)
    assert Transaction.objects.filter(source="toy").count() == COUNT
    assert SyncState.objects.get(source="toy", stream="all").cursor == str(COUNT)

    again = SyncRun.objects.get(pk=sync_provider.apply(kwargs={"source": "toy"}).get())
    assert (again.status, again.fetched, again.inserted, again.written) == ("succeeded", 0, 0, 0)


def test_it_is_scheduled_routed_and_listed(toy, client, finance_admin):
    spec = next(spec for spec in registered_schedules() if spec.name == "sync toy")
    assert (spec.task, spec.every_seconds, spec.kwargs) == ("integrations.sync_provider", 420, '{"source": "toy"}')
    assert route_provider_sync("integrations.sync_provider", (), {"source": "toy"}, {}) == {"queue": "sync.toy"}
    assert "sync.toy" in all_queues()
    assert ("toy", "Toy") in source_choices()
    assert ("toy", "Toy") in list(Transaction._meta.get_field("source").choices)
    assert "toy" in [row["source"] for row in sync_status()]
    client.force_login(finance_admin)
    listed = client.get("/api/v1/sync/status").json()["data"]
    assert "toy" in [row["source"] for row in listed]


def test_without_its_declaration_nothing_lists_it():
    assert "sync toy" not in [spec.name for spec in registered_schedules()]
    assert "sync.toy" not in all_queues()
    assert "toy" not in [row["source"] for row in sync_status()]


def test_a_daily_crontab_in_its_own_time_zone_is_written_as_declared():
    from dataclasses import replace

    from django_celery_beat.models import PeriodicTask

    from common.services import schedules_apply
    from common.sources import Schedule

    morning = replace(TOY, sync=Schedule(crontab="0 6 * * *", timezone="Europe/Moscow", description="Daily drop."))
    with registered(morning):
        spec = next(spec for spec in registered_schedules() if spec.name == "sync toy")
        assert (spec.every_seconds, spec.crontab, spec.timezone) == (None, "0 6 * * *", "Europe/Moscow")
        schedules_apply()
    task = PeriodicTask.objects.select_related("crontab").get(name="sync toy")
    assert (task.interval_id, task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == (
        None, "0", "6", "Europe/Moscow")


def test_a_schedule_needs_exactly_one_timing():
    from common.sources import Schedule

    with pytest.raises(ValueError, match="exactly one"):
        Schedule()
    with pytest.raises(ValueError, match="five fields"):
        Schedule(crontab="0 6 * *")
