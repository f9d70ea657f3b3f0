"""The engine on hand-built rows: tolerance edges, duplicates, finality, the settlement lag, precedence,
and the set-based statement against the fallback."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from reconciliation.engine import Review
from reconciliation.engine.postgres import results_write_sql
from reconciliation.engine.python import results_write_python
from reconciliation.models import ReconciliationResult, ReconciliationRun, ReconciliationTolerance
from reconciliation.selectors import run_parameters
from reconciliation.services import reconciliation_run

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
D = DAY.date()


def _result(run, key) -> ReconciliationResult:
    return run.results.get(key=key)


def test_an_amount_within_the_tolerance_matches_and_one_beyond_it_is_a_discrepancy_of_the_difference(write):
    write(vima("edge-in", "1000.00"), payshack_row("edge-in", "1000.90"),
          vima("edge-out", "1000.00"), payshack_row("edge-out", "1001.50"))
    run = reconciliation_run(date_from=D, date_to=D)
    inside, beyond = _result(run, "edge-in"), _result(run, "edge-out")
    assert (inside.result_type, inside.amount_differs, inside.difference) == ("matched", False, Decimal("0.9000"))
    assert (beyond.result_type, beyond.amount_differs, beyond.difference) == ("discrepancy_amount", True,
                                                                              Decimal("1.5000"))
    assert (beyond.vima_amount, beyond.payshack_amount) == (Decimal("1000.0000"), Decimal("1001.5000"))


def test_the_absolute_tolerance_governs_small_amounts_and_a_project_can_set_its_own(write):
    write(vima("small", "5.00"), payshack_row("small", "5.01"), vima("small-out", "5.00"),
          payshack_row("small-out", "5.02"))
    run = reconciliation_run(date_from=D, date_to=D)
    assert (_result(run, "small").result_type, _result(run, "small-out").result_type) == ("matched",
                                                                                          "discrepancy_amount")
    ReconciliationTolerance.objects.create(project="91game", absolute=Decimal("0.05"), percent=Decimal("0"))
    rerun = reconciliation_run(date_from=D, date_to=D)
    assert _result(rerun, "small-out").result_type == "matched"
    assert rerun.parameters["tolerances"] == {"91game": {"absolute": "0.0500", "percent": "0.0000"}}


def test_a_key_used_twice_on_one_side_is_one_duplicate_result(write):
    write(vima("twice"), payshack_row("twice"), payshack_row("twice", at=DAY.replace(hour=12, minute=6)))
    run = reconciliation_run(date_from=D, date_to=D)
    result = _result(run, "twice")
    assert (result.result_type, result.vima_count, result.payshack_count) == ("duplicate", 1, 2)
    assert run.counts["duplicate"] == 1 and run.total == 1


def test_processing_against_pending_is_no_discrepancy_but_success_against_failed_is(write):
    write(vima("open", status="pending"), payshack_row("open", status="processing"),
          vima("final", status="success"), payshack_row("final", status="failed"),
          vima("late", status="pending"), payshack_row("late", status="success"))
    run = reconciliation_run(date_from=D, date_to=D)
    assert _result(run, "open").result_type == "matched"
    assert _result(run, "final").result_type == "discrepancy_status"
    assert _result(run, "late").result_type == "discrepancy_status"


def test_a_pair_that_differs_in_amount_and_status_is_a_status_discrepancy_with_both_flags(write):
    write(vima("both", "1000.00", status="success"), payshack_row("both", "1200.00", status="failed"))
    result = _result(reconciliation_run(date_from=D, date_to=D), "both")
    assert (result.result_type, result.amount_differs, result.status_differs) == ("discrepancy_status", True, True)


def test_another_currency_is_an_amount_discrepancy_without_a_difference(write):
    write(vima("fx", "1000.00", currency="INR"), payshack_row("fx", "1000.00", currency="USD"))
    result = _result(reconciliation_run(date_from=D, date_to=D), "fx")
    assert (result.result_type, result.difference) == ("discrepancy_amount", None)


def test_orphans_on_either_side(write):
    write(vima("only-vima"), payshack_row("only-payshack"))
    run = reconciliation_run(date_from=D, date_to=D)
    assert (_result(run, "only-vima").result_type, _result(run, "only-payshack").result_type) == (
        "missing_payshack", "missing_vima")


def test_a_payment_just_before_midnight_meets_its_partner_just_after_it_inside_the_lag(write):
    midnight = DAY + timedelta(days=1)
    write(vima("midnight", at=midnight - timedelta(minutes=3)),
          payshack_row("midnight", at=midnight + timedelta(minutes=4)),
          vima("too-late", at=midnight - timedelta(minutes=3)),
          payshack_row("too-late", at=midnight + timedelta(hours=2, minutes=1)))
    day = reconciliation_run(date_from=D, date_to=D)
    next_day = reconciliation_run(date_from=D + timedelta(days=1), date_to=D + timedelta(days=1))
    assert _result(day, "midnight").result_type == "matched"
    assert not next_day.results.filter(key="midnight").exists()  # dated by the Vima side, reported once
    assert _result(day, "too-late").result_type == "missing_payshack"  # beyond the lag they do not meet
    assert _result(next_day, "too-late").result_type == "missing_vima"


def test_days_are_cut_in_the_business_time_zone(write, settings):
    settings.RECONCILIATION_TIME_ZONE = "Asia/Kolkata"
    # 20:00 UTC on the 15th is 01:30 IST on the 16th.
    write(vima("ist", at=DAY.replace(hour=20)), payshack_row("ist", at=DAY.replace(hour=20, minute=2)))
    assert not reconciliation_run(date_from=D, date_to=D).results.exists()
    result = _result(reconciliation_run(date_from=D + timedelta(days=1), date_to=D + timedelta(days=1)), "ist")
    assert (result.result_type, result.result_date) == ("matched", date(2026, 1, 16))


def test_unmapped_projects_and_rows_without_a_key_are_not_reconciled(write):
    write(vima("other-project", project="monetix"), vima("", source_id="no-key"), vima("mapped"))
    run = reconciliation_run(date_from=D, date_to=D)
    assert list(run.results.values_list("key", flat=True)) == ["mapped"]


def _scenario(write):
    midnight = DAY + timedelta(days=1)
    write(vima("m"), payshack_row("m", "1000.90"), vima("a"), payshack_row("a", "1001.50"),
          vima("s", status="success"), payshack_row("s", status="failed"), vima("o", status="pending"),
          payshack_row("o", status="processing"), vima("v"), payshack_row("p"), vima("d"), payshack_row("d"),
          payshack_row("d", at=DAY.replace(hour=13)), vima("n", at=midnight - timedelta(minutes=1)),
          payshack_row("n", at=midnight + timedelta(minutes=1)), vima("e", at=DAY - timedelta(minutes=1)),
          payshack_row("e", at=DAY + timedelta(minutes=1)), vima("both", "10.00", status="failed"),
          payshack_row("both", "20.00", status="refunded"))


_COMPARED = ("project", "key", "result_date", "result_type", "amount_differs", "status_differs", "vima_transaction_id",
             "payshack_transaction_id", "vima_count", "payshack_count", "vima_amount", "payshack_amount",
             "vima_currency", "payshack_currency", "vima_status", "payshack_status", "difference", "review_state",
             "assignee_id", "reason_code", "note", "reviewed_at")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares PostgreSQL's statement with the fallback")
def test_the_set_based_statement_and_the_fallback_give_identical_results(write, finance_manager):
    _scenario(write)
    params = run_parameters(date_from=D, date_to=D)
    reviews = {("91game", "a"): Review("resolved", finance_manager.pk, "fee", "fee taken", DAY),
               ("91game", "gone"): Review("acknowledged", None, "", "", DAY)}
    runs = [ReconciliationRun.objects.create(date_from=D, date_to=D, started_at=DAY) for _ in range(2)]
    counts = [results_write_sql(run_id=runs[0].pk, params=params, reviews=reviews),
              results_write_python(run_id=runs[1].pk, params=params, reviews=reviews)]
    rows = [sorted(run.results.values_list(*_COMPARED)) for run in runs]
    assert rows[0] == rows[1]
    assert counts[0] == counts[1] == {"matched": 3, "discrepancy_amount": 1, "discrepancy_status": 2,
                                      "missing_vima": 1, "missing_payshack": 1, "duplicate": 1}
    assert runs[0].results.get(key="a").note == "fee taken"


def test_the_scenario_gives_the_expected_counts_on_this_database(write):
    """The same scenario on whichever database runs the tests (SQLite: the fallback, PostgreSQL: the statement)."""
    _scenario(write)
    assert reconciliation_run(date_from=D, date_to=D).counts == {
        "matched": 3, "discrepancy_amount": 1, "discrepancy_status": 2, "missing_vima": 1, "missing_payshack": 1,
        "duplicate": 1}
