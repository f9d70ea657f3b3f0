"""The commands and the task that run Vima syncs, against the sandbox over loopback."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from integrations.models import SyncRun, SyncState
from integrations.sandbox.truth import vima_truth
from integrations.tasks import sync_provider
from transactions.models import Transaction

pytestmark = pytest.mark.django_db


def _configured(settings):
    return override_settings(VIMA_BASE_URL=settings.base_url, VIMA_API_KEY=settings.api_key)


def test_sync_command_ends_with_the_summary_line(world, clock, start_vima):
    out = StringIO()
    with _configured(start_vima()):
        call_command("sync", "vima", stdout=out)
    total = vima_truth(world, now=clock.now())["total"]
    assert out.getvalue().splitlines()[-1] == f"inserted={total} updated=0 unchanged=0 quarantined=0"


def test_sync_command_fails_loudly_on_wrong_credentials(start_vima):
    out = StringIO()
    failure = pytest.raises(CommandError, match="vima sync failed: vima answered HTTP 401")
    with _configured(start_vima(api_key="wrong")), failure:
        call_command("sync", "vima", stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines()[-1] == "inserted=0 updated=0 unchanged=0 quarantined=0"


def test_backfill_reads_its_range_resumes_and_restarts(world, clock, start_vima):
    with _configured(start_vima()):
        call_command("backfill", "vima", "--from", "2026-01-11", "--to", "2026-01-11", stdout=StringIO())
        in_range = {t.date() for t in Transaction.objects.values_list("created_at", flat=True)}
        assert in_range == {date(2026, 1, 11)}
        stored = Transaction.objects.count()
        out = StringIO()
        call_command("backfill", "vima", "--from", "2026-01-11", "--to", "2026-01-11", stdout=out)
        assert out.getvalue().splitlines()[-1] == "inserted=0 updated=0 unchanged=0 quarantined=0"
        out = StringIO()
        call_command("backfill", "vima", "--from", "2026-01-11", "--to", "2026-01-11", "--restart", stdout=out)
        assert out.getvalue().splitlines()[-1] == f"inserted=0 updated=0 unchanged={stored} quarantined=0"
    assert not SyncState.objects.filter(stream__in=["create", "update"]).exists()


def test_backfill_refuses_a_reversed_range():
    with pytest.raises(CommandError, match="--to 2026-01-01 is before --from 2026-01-31"):
        call_command("backfill", "vima", "--from", "2026-01-31", "--to", "2026-01-01")


def test_the_scheduled_task_runs_a_sync(world, clock, start_vima):
    with _configured(start_vima()):
        run_id = sync_provider("vima")
    run = SyncRun.objects.get(pk=run_id)
    expected = vima_truth(world, now=clock.now())["total"]
    assert (run.trigger, run.status, run.inserted) == ("schedule", "succeeded", expected)


def test_truth_command_prints_one_json_document():
    out = StringIO()
    call_command("sandbox", "truth", "--seed", "7", "--size", "500", "--start", "2026-01-10", "--days", "2", stdout=out)
    document = json.loads(out.getvalue())
    assert set(document) == {"vima", "payshack", "reconciliation"}
    assert sum(document["vima"]["by_project"].values()) == document["vima"]["total"]
    assert set(document["reconciliation"]) <= {"2026-01-10", "2026-01-11"}
