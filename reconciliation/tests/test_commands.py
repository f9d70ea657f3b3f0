"""`manage.py reconcile`: its summary, its JSON line, and clear refusals."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reconciliation.models import ReconciliationRun

from .conftest import payshack_row, vima

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_summary_and_ends_with_one_json_line(write):
    write(vima("a"), payshack_row("a"), vima("b"))
    out = StringIO()
    call_command("reconcile", "--date", "2026-01-15", "--json", stdout=out)
    lines = out.getvalue().splitlines()
    run = ReconciliationRun.objects.get()
    assert lines[0].startswith(f"run {run.pk}: 2026-01-15, 2 results in ")
    assert json.loads(lines[-1]) == {"run_id": run.pk, "counts": {
        "matched": 1, "discrepancy_amount": 0, "discrepancy_status": 0, "missing_vima": 0, "missing_payshack": 1,
        "duplicate": 0}}


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "15-01-2026"], "expected a date as YYYY-MM-DD, got '15-01-2026'"),
    (["--from", "2026-01-15"], "give --date D, or both --from A and --to B"),
    (["--date", "2026-01-15", "--to", "2026-01-16"], "give either --date or --from/--to, not both"),
    (["--from", "2026-01-16", "--to", "2026-01-15"], "--from (2026-01-16) is after --to (2026-01-15)"),
    (["--days", "3", "--date", "2026-01-15"], "give --days N alone, not with --date or --from/--to"),
    (["--days", "0"], "--days must be at least 1, got 0"),
])
def test_bad_arguments_are_refused_with_what_was_wrong_and_nothing_is_run(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("reconcile", *args)
    assert not ReconciliationRun.objects.exists()


def test_days_is_the_days_before_today_in_the_business_time_zone(settings):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    settings.RECONCILIATION_TIME_ZONE = "Asia/Kolkata"
    call_command("reconcile", "--days", "3", stdout=StringIO())
    today = datetime.now(ZoneInfo("Asia/Kolkata")).date()
    run = ReconciliationRun.objects.get()
    assert (run.date_from, run.date_to) == (today - timedelta(days=3), today - timedelta(days=1))
