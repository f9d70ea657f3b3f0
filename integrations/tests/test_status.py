"""GET /api/v1/sync/status: the next scheduled run is never before the last sync nor in the past, and the mode a
run was read in is named even when the settings chose it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from integrations.choices import RunStatus, RunTrigger
from integrations.models import SyncRun
from integrations.selectors import sync_status

pytestmark = pytest.mark.django_db


def _status(source: str) -> dict:
    return next(row for row in sync_status() if row["source"] == source)


def test_next_run_follows_the_last_scheduled_run_when_beat_has_not_saved_its_own_record_yet():
    now = timezone.now()
    every = IntervalSchedule.objects.create(every=300, period=IntervalSchedule.SECONDS)
    # As setup_schedules writes a new schedule: "last run" one interval back, so beat starts it at once.
    PeriodicTask.objects.create(name="sync vima", task="integrations.sync_provider", interval=every,
                                last_run_at=now - timedelta(minutes=5))
    started = now - timedelta(seconds=20)
    SyncRun.objects.create(source="vima", sink="transactions", mode="api", trigger=RunTrigger.SCHEDULE,
                           status=RunStatus.SUCCEEDED, started_at=started, finished_at=now)
    status = _status("vima")
    assert status["next_scheduled_run"] == started + timedelta(minutes=5)
    assert status["next_scheduled_run"] > status["last_sync"] and status["mode"] == "api"


def test_an_overdue_schedule_is_due_now_not_in_the_past():
    every = IntervalSchedule.objects.create(every=300, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="sync vima", task="integrations.sync_provider", interval=every,
                                last_run_at=timezone.now() - timedelta(hours=2))
    before = timezone.now()
    assert _status("vima")["next_scheduled_run"] >= before


def test_a_run_records_the_mode_the_settings_chose(settings):
    from integrations.payshack.config import payshack_source
    from integrations.vima.config import vima_settings
    from integrations.vima.sync import VimaSource

    settings.PAYSHACK_MODE = "api"
    assert payshack_source("").mode == "api"
    assert VimaSource(vima_settings()).mode == "api"
