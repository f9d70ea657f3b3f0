"""The nightly run, and past dates reconciled again after a sync changed them: once per date, not per page."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_celery_beat.models import PeriodicTask

from common.services import schedules_apply
from config.celery import app as celery_app
from reconciliation.choices import RunStatus, Trigger
from reconciliation.models import ReconciliationRun
from reconciliation.receivers import dates_to_rerun
from reconciliation.services import reconciliation_run
from reconciliation.tasks import reconcile_yesterday
from transactions.services import transactions_upsert

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
D = DAY.date()


@pytest.fixture
def eager():
    """Run enqueued tasks in this process: the broker is not what these tests are about (a countdown is
    not waited for either; the debounce is the cache key, which is real)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_the_nightly_run_is_declared_once_however_often_schedules_are_applied(settings):
    schedules_apply()
    schedules_apply()
    task = PeriodicTask.objects.select_related("crontab").get(name="reconcile yesterday")
    assert (task.task, task.crontab.minute, task.crontab.hour) == ("reconciliation.reconcile_yesterday", "30", "2")
    assert PeriodicTask.objects.filter(task="reconciliation.reconcile_yesterday").count() == 1


def test_the_nightly_task_reconciles_yesterday_in_the_business_time_zone(settings):
    settings.RECONCILIATION_TIME_ZONE = "Asia/Kolkata"
    run = ReconciliationRun.objects.get(pk=reconcile_yesterday())
    yesterday = datetime.now(ZoneInfo("Asia/Kolkata")).date() - timedelta(days=1)
    assert (run.date_from, run.date_to, run.trigger, run.status) == (yesterday, yesterday, Trigger.SCHEDULE,
                                                                     RunStatus.SUCCEEDED)


def test_only_past_dates_already_reconciled_are_chosen_and_midnight_touches_both_sides():
    reconciliation_run(date_from=D, date_to=D + timedelta(days=1))
    near_midnight = datetime(2026, 1, 16, 0, 15, tzinfo=UTC)
    midday = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
    assert dates_to_rerun({near_midnight, midday}, today=date(2026, 1, 30)) == [D, D + timedelta(days=1)]
    assert dates_to_rerun({near_midnight}, today=D + timedelta(days=1)) == [D]  # today is not past yet


@pytest.mark.usefixtures("eager")
def test_a_sync_of_several_pages_reconciles_each_touched_past_date_once(django_capture_on_commit_callbacks):
    first = reconciliation_run(date_from=D, date_to=D)
    pages = [[vima("a"), payshack_row("a")], [vima("b")], [payshack_row("b", at=DAY.replace(hour=18))]]
    for page in pages:
        with django_capture_on_commit_callbacks(execute=True):
            transactions_upsert(rows=page)
    reruns = ReconciliationRun.objects.exclude(pk=first.pk)
    assert [(run.trigger, run.date_from, run.total) for run in reruns] == [(Trigger.SYNC, D, 1)]
