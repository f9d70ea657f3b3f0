"""/api/v1/reconciliation/…: summary (cached), discrepancies, runs, results and reviews by role."""

import json
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from common.models import TokenProjectLimit
from config.celery import app as celery_app
from reconciliation.choices import RunStatus
from reconciliation.models import ReconciliationResult, ReconciliationRun
from reconciliation.services import reconciliation_run

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
D = DAY.date()


def _body(response):
    return json.loads(response.content)


@pytest.fixture
def reconciled(write):
    write(vima("a"), payshack_row("a"), vima("b", "1000.00"), payshack_row("b", "1001.50"), vima("c"),
          payshack_row("d"), vima("e", project="monetix"), payshack_row("e", project="monetix"))
    return reconciliation_run(date_from=D, date_to=D)


@pytest.fixture
def eager():
    """Run the queued task in this process: the broker is not what these tests are about."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_the_summary_of_a_date_counts_each_class_with_percentages(api_client, viewer, reconciled):
    api_client.force_authenticate(viewer)
    data = _body(api_client.get("/api/v1/reconciliation/summary", {"date": "2026-01-15"}))["data"]
    assert (data["run_id"], data["total"], data["discrepancies"]) == (reconciled.pk, 4, 3)
    assert data["counts"] == {"matched": 1, "discrepancy_amount": 1, "discrepancy_status": 0, "missing_vima": 1,
                              "missing_payshack": 1, "duplicate": 0}
    assert data["percentages"]["matched"] == 25.0 and data["match_rate"] == 25.0


def test_the_summary_is_cached_until_a_run_or_a_review_changes_it(api_client, viewer, finance_manager, reconciled,
                                                                  write, django_capture_on_commit_callbacks,
                                                                  django_assert_num_queries):
    api_client.force_authenticate(viewer)
    first = _body(api_client.get("/api/v1/reconciliation/summary", {"date": "2026-01-15"}))["data"]
    # The answer comes from the cache: one query, the namespace version's primary-key read (the user is forced)
    with django_assert_num_queries(1):
        assert _body(api_client.get("/api/v1/reconciliation/summary", {"date": "2026-01-15"}))["data"] == first
    write(payshack_row("c"))
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation_run(date_from=D, date_to=D)
    again = _body(api_client.get("/api/v1/reconciliation/summary", {"date": "2026-01-15"}))["data"]
    assert again["counts"]["matched"] == 2 and again["run_id"] != first["run_id"]
    api_client.force_authenticate(finance_manager)
    result = ReconciliationResult.objects.filter(run_id=again["run_id"], result_type="missing_vima").get()
    with django_capture_on_commit_callbacks(execute=True):
        api_client.patch(f"/api/v1/reconciliation/results/{result.pk}", {"review_state": "acknowledged"},
                         format="json")
    assert _body(api_client.get("/api/v1/reconciliation/summary", {"date": "2026-01-15"}))["data"]["review"][
        "acknowledged"] == 1


def test_a_summary_without_a_date_or_with_a_bad_one_is_a_400_naming_it(api_client, viewer):
    api_client.force_authenticate(viewer)
    missing = api_client.get("/api/v1/reconciliation/summary")
    bad = api_client.get("/api/v1/reconciliation/summary", {"date": "15/01/2026"})
    assert missing.status_code == bad.status_code == 400
    assert _body(bad)["error"]["details"] == {"date": ["expected a date as YYYY-MM-DD, got '15/01/2026'"]}


def test_discrepancies_are_paginated_in_the_envelope_and_filtered_by_type(api_client, viewer, reconciled):
    api_client.force_authenticate(viewer)
    answer = _body(api_client.get("/api/v1/reconciliation/discrepancies",
                                  {"from_date": "2026-01-15", "to_date": "2026-01-15", "limit": 2}))
    assert answer["meta"] == {"page": 1, "limit": 2, "total": 3, "total_pages": 2, "next_cursor": None}
    amount = _body(api_client.get("/api/v1/reconciliation/discrepancies",
                                  {"from_date": "2026-01-15", "to_date": "2026-01-15", "type": "discrepancy_amount"}))
    [row] = amount["data"]
    assert (row["key"], row["difference"], row["vima_amount"]) == ("b", 1.5, 1000.0)
    assert b'"difference":1.5000' in api_client.get(
        "/api/v1/reconciliation/discrepancies", {"from_date": "2026-01-15", "type": "discrepancy_amount",
                                                 "to_date": "2026-01-15"}).content  # exact, from the Decimal
    bad = api_client.get("/api/v1/reconciliation/discrepancies", {"type": "matched"})
    assert _body(bad)["error"]["details"]["type"][0].endswith("got 'matched'")


def test_a_project_limited_token_sees_only_its_projects(api_client, viewer, reconciled):
    TokenProjectLimit.objects.create(token=Token.objects.create(user=viewer), project="monetix")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=viewer).key}")
    assert _body(api_client.get("/api/v1/reconciliation/discrepancies",
                                {"from_date": "2026-01-15", "to_date": "2026-01-15"}))["meta"]["total"] == 0
    other = reconciled.results.get(key="b")
    assert api_client.get(f"/api/v1/reconciliation/results/{other.pk}").status_code == 404
    assert api_client.get("/api/v1/reconciliation/summary", {"date": "2026-01-15", "project": "91game"}).status_code \
        == 403


def test_a_manager_reviews_a_result_and_the_detail_shows_its_history(api_client, finance_manager, reconciled):
    api_client.force_authenticate(finance_manager)
    result = reconciled.results.get(key="b")
    answer = api_client.patch(f"/api/v1/reconciliation/results/{result.pk}",
                              {"review_state": "resolved", "reason_code": "fee", "note": "PayShack fee",
                               "assignee": finance_manager.username}, format="json")
    assert answer.status_code == 200
    data = _body(answer)["data"]
    assert (data["review_state"], data["reason_code"], data["assignee"]) == ("resolved", "fee",
                                                                             finance_manager.username)
    assert [(h["user"], h["review_state"], h["note"]) for h in data["history"]] == [
        (finance_manager.username, "resolved", "PayShack fee")]


def test_a_viewer_cannot_change_a_review_and_nothing_changes(api_client, viewer, reconciled):
    api_client.force_authenticate(viewer)
    result = reconciled.results.get(key="b")
    answer = api_client.patch(f"/api/v1/reconciliation/results/{result.pk}", {"review_state": "acknowledged"},
                              format="json")
    assert (answer.status_code, _body(answer)["error"]["code"]) == (403, "PERMISSION_DENIED")
    result.refresh_from_db()
    assert result.review_state == "open" and not ReconciliationResult.history.exists()
    assert api_client.get(f"/api/v1/reconciliation/results/{result.pk}").status_code == 200


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"review_state": "closed"}, "review_state", '"closed" is not a valid choice.'),
    ({}, "review_state", "expected at least one of review_state, reason_code, note, assignee, got none"),
    ({"review_state": "resolved"}, "reason_code", "expected a reason code when review_state is resolved, got none"),
])
def test_a_bad_review_is_a_400_naming_the_field_and_changes_nothing(api_client, finance_manager, reconciled, body,
                                                                    field, message):
    api_client.force_authenticate(finance_manager)
    result = reconciled.results.get(key="b")
    answer = api_client.patch(f"/api/v1/reconciliation/results/{result.pk}", body, format="json")
    assert answer.status_code == 400
    assert _body(answer)["error"]["details"][field] == [message]
    assert not ReconciliationResult.history.exists()


@pytest.mark.usefixtures("eager")
def test_a_manager_starts_a_run_and_gets_its_id_and_state(api_client, finance_manager, write,
                                                          django_capture_on_commit_callbacks):
    write(vima("a"), payshack_row("a"))
    api_client.force_authenticate(finance_manager)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_client.post("/api/v1/reconciliation/run", {"date": "2026-01-15"}, format="json")
    assert answer.status_code == 202
    data = _body(answer)["data"]
    assert data["state"] == "queued"
    run = ReconciliationRun.objects.get(pk=data["id"])
    assert (run.status, run.counts["matched"], run.requested_by) == (RunStatus.SUCCEEDED, 1, finance_manager)
    detail = _body(api_client.get(f"/api/v1/reconciliation/runs/{run.pk}"))["data"]
    assert (detail["state"], detail["counts"]["matched"]) == ("succeeded", 1)


def test_a_viewer_cannot_start_a_run_and_a_bad_range_is_a_400(api_client, viewer, finance_manager):
    api_client.force_authenticate(viewer)
    assert api_client.post("/api/v1/reconciliation/run", {"date": "2026-01-15"}, format="json").status_code == 403
    api_client.force_authenticate(finance_manager)
    answer = api_client.post("/api/v1/reconciliation/run", {"date_from": "2026-01-16", "date_to": "2026-01-15"},
                             format="json")
    assert answer.status_code == 400 and "date_from" in _body(answer)["error"]["details"]
    assert not ReconciliationRun.objects.exists()


def test_amounts_leave_as_exact_numbers(api_client, viewer, reconciled):
    api_client.force_authenticate(viewer)
    result = reconciled.results.get(key="b")
    content = api_client.get(f"/api/v1/reconciliation/results/{result.pk}").content
    assert b'"payshack_amount":1001.5000' in content
    assert Decimal("1001.5000") == reconciled.results.get(key="b").payshack_amount
