from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from common.roles import FINANCE_ADMIN
from common.services import schedules_apply

pytestmark = pytest.mark.django_db

NAME = "worker heartbeat"
# Every app's schedules.py, in name order.
DECLARED = ("alerts check", "forecasts nightly", "forecasts retrain", "ledger nightly GL reconciliation",
            "ledger nightly posting", "prune operations", "reconcile yesterday", "sweep abandoned sync runs",
            "sync credit_portfolio", "sync iiko", "sync iiko gaps", "sync onec", "sync payshack",
            "sync payshack metadata", "sync vima", NAME)


def _all(outcome):
    return [(name, outcome) for name in DECLARED]


def _task():
    return PeriodicTask.objects.select_related("interval").get(name=NAME)


def test_first_apply_creates_the_heartbeat_task(settings):
    assert schedules_apply() == _all("created")
    task = _task()
    assert (task.task, task.enabled, task.crontab_id, task.queue) == ("common.heartbeat", True, None, None)
    assert (task.interval.every, task.interval.period) == (settings.HEARTBEAT_INTERVAL, IntervalSchedule.SECONDS)


def test_vima_sync_is_declared_every_five_minutes_and_due_at_beats_first_tick(settings):
    schedules_apply()
    task = PeriodicTask.objects.select_related("interval").get(name="sync vima")
    assert (task.task, task.kwargs, task.interval.every) == ("integrations.sync_provider", '{"source": "vima"}', 300)
    assert task.last_run_at is not None
    assert task.schedule.is_due(task.last_run_at).is_due


def test_applying_again_keeps_the_task_without_duplicates():
    schedules_apply()
    assert schedules_apply() == _all("kept")
    assert PeriodicTask.objects.filter(name=NAME).count() == 1
    assert IntervalSchedule.objects.count() == 6  # 30 s, 2 (the sweep), 5, 10 and 30 minutes, 1 day (1C)


def _edit_in_admin():
    task = _task()
    task.interval = IntervalSchedule.objects.create(every=300, period=IntervalSchedule.SECONDS)
    task.enabled = False
    task.task = "stale.path"
    task.save()


def test_admin_edits_survive_apply_but_the_task_path_follows_the_code():
    schedules_apply()
    _edit_in_admin()
    assert schedules_apply() == _all("kept")
    task = _task()
    assert (task.interval.every, task.enabled, task.task) == (300, False, "common.heartbeat")


def test_reset_restores_the_declared_interval_and_switch(settings):
    schedules_apply()
    _edit_in_admin()
    assert schedules_apply(reset=True) == _all("updated")
    task = _task()
    assert (task.interval.every, task.enabled) == (settings.HEARTBEAT_INTERVAL, True)
    assert PeriodicTask.objects.filter(name=NAME).count() == 1


def _call(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_setup_schedules_command_reports_each_outcome():
    for args, outcome in (((), "created"), ((), "kept"), (("--reset",), "updated")):
        assert _call("setup_schedules", *args) == "".join(f"{outcome:<8} {name}\n" for name in DECLARED)
    assert PeriodicTask.objects.filter(name=NAME).count() == 1


def test_ensure_demo_admin_prints_the_password_only_once(django_user_model):
    first = _call("ensure_demo_admin")
    prefix = "Demo admin created. Log in at /admin/ as admin / "
    assert first.startswith(prefix)
    password = first.removeprefix(prefix).strip()
    user = django_user_model.objects.get(username="admin")
    assert user.check_password(password)
    assert user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [FINANCE_ADMIN]

    second = _call("ensure_demo_admin")
    assert second.startswith("Demo admin 'admin' exists;")
    assert password not in second
    assert django_user_model.objects.filter(username="admin").count() == 1  # besides the ledger's system user
    assert django_user_model.objects.get(username="admin").check_password(password)
    assert Group.objects.get(name=FINANCE_ADMIN).user_set.count() == 1


def test_ensure_demo_admin_reset_prints_a_new_password_that_works(django_user_model):
    created = _call("ensure_demo_admin").split(" / ")[-1].strip()
    assert "ensure_demo_admin --reset" in _call("ensure_demo_admin")
    reset = _call("ensure_demo_admin", "--reset")
    prefix = "Demo admin password reset. Log in at /admin/ as admin / "
    assert reset.startswith(prefix)
    new = reset.removeprefix(prefix).strip()
    user = django_user_model.objects.get(username="admin")
    assert new != created and user.check_password(new) and not user.check_password(created)
    assert django_user_model.objects.filter(username="admin").count() == 1 and user.is_superuser


def test_celery_housekeeping_is_not_a_finance_schedule():
    PeriodicTask.objects.create(name="celery.backend_cleanup", task="celery.backend_cleanup",
                                crontab=None, interval=IntervalSchedule.objects.create(every=1, period="days"))
    assert _call("setup_schedules").endswith("deleted  celery.backend_cleanup\n")
    assert not PeriodicTask.objects.filter(name="celery.backend_cleanup").exists()


def test_no_result_expiry_so_beat_adds_no_backend_cleanup(settings):
    from config.celery import app

    assert settings.CELERY_RESULT_EXPIRES is None and app.conf.result_expires is None
