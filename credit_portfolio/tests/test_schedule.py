"""The import's schedule: daily at 06:00 Moscow time, written to beat by ``setup_schedules``."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from common.scheduling import registered_schedules


def test_the_import_is_declared_daily_at_six_moscow_time():
    [spec] = [s for s in registered_schedules() if s.name == "sync credit_portfolio"]
    assert (spec.task, spec.crontab, spec.timezone, spec.every_seconds) == (
        "integrations.sync_provider", "0 6 * * *", "Europe/Moscow", None)


@pytest.mark.django_db
def test_setup_schedules_writes_it_to_beat_in_its_time_zone():
    call_command("setup_schedules", verbosity=0)
    task = PeriodicTask.objects.select_related("crontab").get(name="sync credit_portfolio")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("0", "6", "Europe/Moscow")
    assert task.kwargs == '{"source": "credit_portfolio"}'
