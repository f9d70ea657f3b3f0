"""The back office: filters, bulk review actions (with their intermediate forms), links, the run page."""

import pytest
from django.contrib.auth.models import Permission

from reconciliation.models import ReconciliationResult
from reconciliation.services import reconciliation_run

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/reconciliation/reconciliationresult/"


@pytest.fixture
def run(write):
    write(vima("a"), payshack_row("a"), vima("b", "2000.00"), payshack_row("b", "2500.00"), vima("c"),
          payshack_row("d"))
    return reconciliation_run(date_from=DAY.date(), date_to=DAY.date())


@pytest.fixture
def manager_client(client, finance_manager):
    client.force_login(finance_manager)
    return client


def _ids(run, *keys):
    return [str(pk) for pk in run.results.filter(key__in=keys).values_list("pk", flat=True)]


def test_the_changelist_filters_by_run_class_review_amount_and_age(manager_client, run):
    for query, keys in [({"run": run.pk, "result_type": "discrepancy_amount"}, {"b"}),
                        ({"review_state": "open", "amount": "1k-10k"}, {"a", "b", "c", "d"}),
                        ({"amount": "lt1k"}, set()), ({"age": "older"}, {"a", "b", "c", "d"})]:
        page = manager_client.get(CHANGELIST, query)
        assert page.status_code == 200
        assert {r.key for r in page.context["cl"].result_list} == keys, query


def test_acknowledge_in_bulk_leaves_one_audit_row_per_result(manager_client, run, finance_manager):
    ids = _ids(run, "b", "c")
    manager_client.post(CHANGELIST, {"action": "acknowledge", "_selected_action": ids})
    assert set(run.results.filter(review_state="acknowledged").values_list("key", flat=True)) == {"b", "c"}
    assert ReconciliationResult.history.filter(history_user=finance_manager).count() == 2


def test_resolve_asks_for_a_reason_first_then_resolves_with_it(manager_client, run):
    ids = _ids(run, "b")
    form = manager_client.post(CHANGELIST, {"action": "resolve", "_selected_action": ids})
    assert form.status_code == 200 and b"reason_code" in form.content
    assert run.results.get(key="b").review_state == "open"
    manager_client.post(CHANGELIST, {"action": "resolve", "_selected_action": ids, "apply": "1",
                                     "reason_code": "fee", "note": "PayShack fee"})
    result = run.results.get(key="b")
    assert (result.review_state, result.reason_code, result.note) == ("resolved", "fee", "PayShack fee")


def test_assign_sets_the_assignee(manager_client, run, finance_manager):
    manager_client.post(CHANGELIST, {"action": "assign", "_selected_action": _ids(run, "c", "d"), "apply": "1",
                                     "assignee": finance_manager.pk})
    assert set(run.results.filter(assignee=finance_manager).values_list("key", flat=True)) == {"c", "d"}


def test_a_viewer_sees_results_but_has_no_review_actions(client, viewer, run):
    client.force_login(viewer)
    page = client.get(CHANGELIST)
    assert page.status_code == 200 and b'value="acknowledge"' not in page.content
    client.post(CHANGELIST, {"action": "acknowledge", "_selected_action": _ids(run, "c")})
    assert not run.results.exclude(review_state="open").exists()


def test_a_result_links_to_both_transactions_and_shows_its_history(manager_client, run):
    result = run.results.get(key="b")
    page = manager_client.get(f"{CHANGELIST}{result.pk}/change/")
    assert page.status_code == 200
    for transaction_id in (result.vima_transaction_id, result.payshack_transaction_id):
        assert f"/admin/transactions/transaction/{transaction_id}/change/".encode() in page.content
    assert manager_client.get(f"{CHANGELIST}{result.pk}/history/").status_code == 200


def test_the_run_page_shows_the_counts_per_class(manager_client, run):
    page = manager_client.get(f"/admin/reconciliation/reconciliationrun/{run.pk}/change/")
    assert page.status_code == 200
    assert f"?run={run.pk}&amp;result_type=discrepancy_amount".encode() in page.content
    listing = manager_client.get("/admin/reconciliation/reconciliationrun/")
    assert listing.status_code == 200 and b"Missing vima" in listing.content


def test_manager_permissions_come_from_the_role_table():
    assert Permission.objects.filter(group__name="finance_manager", codename="change_reconciliationresult").exists()


def test_a_capped_count_reads_more_than_the_cap_and_an_exact_one_reads_exact(manager_client, run, monkeypatch):
    """The cap is lowered to 3 so that four results pass it (the admin's code path is the one of 10,000)."""
    monkeypatch.setattr("common.paginators.COUNT_CAP", 3)
    html = manager_client.get(CHANGELIST).content.decode()
    assert "more than 3 reconciliation results" in html and "4 reconciliation results" not in html
    monkeypatch.setattr("common.paginators.COUNT_CAP", 4)
    html = manager_client.get(CHANGELIST).content.decode()
    assert "4 reconciliation results" in html and "more than" not in html


def test_the_detail_writes_money_one_way(manager_client, run):
    result = run.results.get(key="b")
    html = manager_client.get(f"{CHANGELIST}{result.pk}/change/").content.decode()
    for text in ("2,000.00 INR", "2,500.00 INR", "500.00 INR"):
        assert f'<span class="money">{text}</span>' in html
    listed = manager_client.get(CHANGELIST, {"result_type": "discrepancy_amount"}).content.decode()
    assert '<span class="money">500.00 INR</span>' in listed
