from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from analytics.models import TransactionRollup
from conftest import build_row
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 5, 4, 8, tzinfo=UTC)


def run(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("rebuild_rollups", *args, stdout=out)
    except SystemExit as exit_:
        return out.getvalue(), exit_.code
    return out.getvalue(), 0


def test_check_reports_each_difference_and_repair_fixes_it():
    transactions_upsert(rows=[build_row(created_at=DAY + timedelta(hours=h), updated_at=DAY) for h in range(3)])
    # three quarter hours, three hours, one day
    assert run("--from", "2026-05-04", "--to", "2026-05-05", "--check") == (
        "days=2 rows=7 differences=0 (found)\n", 0)

    TransactionRollup.objects.filter(span=15, slot=DAY).update(count=5, amount_e4=1)
    out, status = run("--from", "2026-05-04", "--to", "2026-05-04", "--check")
    assert status == 1
    assert out.splitlines() == [
        "2026-05-04 08:00Z+15m vima/91game/success/INR/payin: rollup 5 / 0.0001, transactions 1 / 1500.0000",
        "days=1 rows=7 differences=1 (found)",
    ]
    assert run("--from", "2026-05-04", "--to", "2026-05-04")[0].endswith("differences=1 (repaired)\n")
    assert run("--from", "2026-05-04", "--to", "2026-05-04", "--check")[1] == 0


def test_a_reversed_range_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--to 2026-05-01 is before --from 2026-05-04"):
        call_command("rebuild_rollups", "--from", "2026-05-04", "--to", "2026-05-01")


def test_fx_rates_import_and_rollups_are_read_only_in_the_admin(admin_client):
    import tablib

    from analytics.models import FxRate
    from analytics.resources import FxRateResource

    dataset = tablib.Dataset(headers=["day", "base", "quote", "rate", "source"])
    dataset.append(["2026-05-01", "USD", "INR", "83.2512", "RBI"])
    result = FxRateResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert str(FxRate.objects.get()) == "2026-05-01 1 USD = 83.2512000000 INR"
    assert admin_client.get("/admin/analytics/fxrate/").status_code == 200
    assert admin_client.get("/admin/analytics/transactionrollup/").status_code == 200
    assert admin_client.get("/admin/analytics/transactionrollup/add/").status_code == 403
