"""Runs and reviews: superseding, review carried to a rerun, audit history, bad ranges."""

from datetime import timedelta

import pytest

from common.errors import ApplicationError
from reconciliation.choices import ReviewState, RunStatus
from reconciliation.models import ReconciliationResult, ReconciliationRun
from reconciliation.selectors import current_results, summary
from reconciliation.services import reconciliation_run, results_review

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
D = DAY.date()


def test_a_rerun_supersedes_the_run_and_keeps_the_review_of_keys_that_still_exist(write, finance_manager):
    write(vima("a", "1000.00"), payshack_row("a", "1100.00"), vima("b"), vima("c"))
    first = reconciliation_run(date_from=D, date_to=D)
    a, b = first.results.get(key="a"), first.results.get(key="b")
    results_review(result_ids=[a.pk], user=finance_manager, review_state=ReviewState.RESOLVED,
                   reason_code="fee", note="fee taken by PayShack")
    results_review(result_ids=[b.pk], user=finance_manager, assignee=finance_manager, note="ask Vima")
    write(payshack_row("c"))  # c is matched now; its result is new and open
    second = reconciliation_run(date_from=D, date_to=D)
    first.refresh_from_db()
    assert first.superseded_by == second
    carried = {r.key: (r.review_state, r.reason_code, r.note, r.assignee_id) for r in second.results.all()}
    assert carried == {"a": ("resolved", "fee", "fee taken by PayShack", None),
                       "b": ("open", "", "ask Vima", finance_manager.pk),
                       "c": ("open", "", "", None)}
    assert set(current_results(date_from=D, date_to=D).values_list("run_id", flat=True)) == {second.pk}
    # The new results' audit starts where the review came from; the earlier results keep their own.
    trail = {r.key: list(r.history.values_list("history_change_reason", "review_state", "history_user"))
             for r in second.results.all()}
    assert trail == {"a": [(f"carried over from result {a.pk} of run {first.pk}", "resolved", None)],
                     "b": [(f"carried over from result {b.pk} of run {first.pk}", "open", None)],
                     "c": []}
    assert list(a.history.values_list("history_change_reason", "history_user")) == [("review", finance_manager.pk)]


def test_a_review_reopened_in_the_latest_run_is_not_brought_back_from_an_older_one(write, finance_manager):
    write(vima("a"))
    first = reconciliation_run(date_from=D, date_to=D)
    results_review(result_ids=list(first.results.values_list("pk", flat=True)), user=finance_manager,
                   review_state=ReviewState.ACKNOWLEDGED, note="seen")
    second = reconciliation_run(date_from=D, date_to=D)
    results_review(result_ids=list(second.results.values_list("pk", flat=True)), user=finance_manager,
                   review_state=ReviewState.OPEN, note="")
    third = reconciliation_run(date_from=D, date_to=D)
    assert third.results.get().review_state == ReviewState.OPEN
    assert third.results.get().note == ""


def test_a_range_run_supersedes_the_days_inside_it_and_a_day_run_inside_a_range_is_current_for_its_day(write):
    write(vima("a"), vima("b", at=DAY + timedelta(days=1, hours=3)))
    day = reconciliation_run(date_from=D, date_to=D)
    whole = reconciliation_run(date_from=D, date_to=D + timedelta(days=1))
    day.refresh_from_db()
    assert day.superseded_by == whole
    again = reconciliation_run(date_from=D, date_to=D)
    whole.refresh_from_db()
    assert whole.superseded_by is None  # still current for the second day
    current = dict(current_results(date_from=D, date_to=D + timedelta(days=1)).values_list("key", "run_id"))
    assert current == {"a": again.pk, "b": whole.pk}


def test_every_review_change_leaves_an_audit_row_with_who_before_and_after(write, finance_manager):
    write(vima("a"), vima("b"))
    run = reconciliation_run(date_from=D, date_to=D)
    ids = list(run.results.values_list("pk", flat=True))
    assert results_review(result_ids=ids, user=finance_manager, review_state=ReviewState.ACKNOWLEDGED) == 2
    assert results_review(result_ids=ids, user=finance_manager, review_state=ReviewState.ACKNOWLEDGED) == 0
    assert results_review(result_ids=ids[:1], user=finance_manager, review_state=ReviewState.RESOLVED,
                          reason_code="timing", note="arrives tomorrow") == 1
    history = ReconciliationResult.history.filter(id=ids[0]).order_by("history_date", "history_id")
    assert [(h.review_state, h.history_user_id) for h in history] == [("acknowledged", finance_manager.pk),
                                                                      ("resolved", finance_manager.pk)]
    delta = history.last().diff_against(history.first())
    assert {(c.field, c.old, c.new) for c in delta.changes if c.field != "reviewed_at"} == {
        ("review_state", "acknowledged", "resolved"), ("reason_code", "", "timing"), ("note", "", "arrives tomorrow")}
    assert ReconciliationResult.history.filter(id=ids[1]).count() == 1


def test_resolving_needs_a_reason_and_changes_nothing_without_one(write, finance_manager):
    write(vima("a"))
    run = reconciliation_run(date_from=D, date_to=D)
    with pytest.raises(ApplicationError, match="reason_code"):
        results_review(result_ids=list(run.results.values_list("pk", flat=True)), user=finance_manager,
                       review_state=ReviewState.RESOLVED)
    assert run.results.get().review_state == ReviewState.OPEN
    assert not ReconciliationResult.history.exists()


def test_a_backwards_range_is_refused_before_any_run_is_stored():
    with pytest.raises(ApplicationError, match="after"):
        reconciliation_run(date_from=D, date_to=D - timedelta(days=1))
    assert not ReconciliationRun.objects.exists()


def test_a_failed_run_is_kept_with_its_error_and_no_results(write, monkeypatch):
    write(vima("a"))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # The engine cannot be made to fail with real data short of breaking the database; a stand-in does.
    monkeypatch.setattr("reconciliation.services.results_write", broken)
    with pytest.raises(RuntimeError):
        reconciliation_run(date_from=D, date_to=D)
    run = ReconciliationRun.objects.get()
    assert (run.status, run.error, run.results.count()) == (RunStatus.FAILED, "RuntimeError: disk full", 0)


def test_the_summary_counts_and_percentages_of_the_current_run(write):
    write(vima("a"), payshack_row("a"), vima("b"), payshack_row("c"), vima("d"), payshack_row("d"))
    run = reconciliation_run(date_from=D, date_to=D)
    answer = summary(day=D)
    assert (answer["run_id"], answer["total"], answer["discrepancies"]) == (run.pk, 4, 2)
    assert answer["counts"]["matched"] == 2 and answer["match_rate"] == pytest.approx(50)
    assert str(answer["percentages"]["missing_vima"]) == "25.00"
    assert answer["review"] == {"open": 2, "acknowledged": 0, "resolved": 0}
    assert summary(day=D + timedelta(days=1))["run_id"] is None
