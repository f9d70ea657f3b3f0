"""The ledger's back office: pages load, actions call the services and name the rule of each refusal."""

import pytest
from django.contrib.auth.models import Group

from ledger.models import Account, Period, PeriodEvent, PostingRule, Voucher
from ledger.services.vouchers import voucher_create
from ledger.tests.conftest import DAY, pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize("model", ["account", "journal", "postingrule", "voucher", "period", "accountbalance"])
def test_every_list_page_loads(chart, admin_client_of, finance_admin, model):
    assert admin_client_of(finance_admin).get(f"/admin/ledger/{model}/").status_code == 200


def test_review_action_reports_segregation_of_duties_by_its_rule(chart, gen, admin_client_of, finance_manager):
    voucher = voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "9"), user=finance_manager)
    answer = admin_client_of(finance_manager).post("/admin/ledger/voucher/", {
        "action": "review", "_selected_action": [voucher.pk]}, follow=True)
    assert "SOD_SAME_USER" in answer.content.decode()
    assert Voucher.objects.get().status == "draft"


def test_a_draft_entered_in_the_admin_is_checked_like_any_voucher(chart, gen, admin_client_of, finance_manager):
    form = {"journal": gen.pk,
            "date": "2026-01-15", "description": "typed in",
            "lines-TOTAL_FORMS": 2, "lines-INITIAL_FORMS": 0,
            "lines-0-account": chart["1100"].pk, "lines-0-debit": "10", "lines-0-credit": "0",
            "lines-0-currency": "INR", "lines-1-account": chart["2100"].pk, "lines-1-debit": "0",
            "lines-1-credit": "9", "lines-1-currency": "INR"}
    client = admin_client_of(finance_manager)
    finance_manager.groups.add(Group.objects.get(name="finance_admin"))  # admin pages need add permission
    refused = client.post("/admin/ledger/voucher/add/", form)
    assert "UNBALANCED" in refused.content.decode() and not Voucher.objects.exists()
    client.post("/admin/ledger/voucher/add/", {**form, "lines-1-credit": "10"})
    voucher = Voucher.objects.get()
    assert (voucher.created_by, voucher.status, voucher.lines.count()) == (finance_manager, "draft", 2)


def test_reopen_needs_the_reason_typed_beside_the_action(chart, admin_client_of, finance_admin):
    period = Period.objects.create(code="2026-01", start=DAY.replace(day=1), end=DAY.replace(day=31), status="locked")
    client = admin_client_of(finance_admin)
    refused = client.post("/admin/ledger/period/", {"action": "reopen", "_selected_action": [period.pk],
                                                    "reason": ""}, follow=True)
    assert "REASON_REQUIRED" in refused.content.decode()
    client.post("/admin/ledger/period/", {"action": "reopen", "_selected_action": [period.pk],
                                          "reason": "a late bank statement"}, follow=True)
    assert Period.objects.get().status == "open"
    assert PeriodEvent.objects.get().reason == "a late bank statement"


def test_a_rule_that_would_tie_is_refused_and_existing_ties_are_shown(chart, admin_client_of, finance_admin):
    bank, funds = Account.objects.get(purpose="bank"), Account.objects.get(purpose="customer_funds")
    client = admin_client_of(finance_admin)
    form = {"name": "copy", "event": "refund", "source": "vima", "project": "", "currency": "", "direction": "",
            "debit_account": bank.pk, "credit_account": funds.pk, "priority": 100, "is_active": "on"}
    refused = client.post("/admin/ledger/postingrule/add/", form)
    assert "RULE_TIE" in refused.content.decode()
    PostingRule.objects.create(name="forced", event="refund", source="vima", debit_account=bank, credit_account=funds)
    assert "RULE_TIE" in client.get("/admin/ledger/postingrule/").content.decode()


def test_the_admin_home_shows_the_days_posting_state_and_unreconciled_accounts(chart, admin_client_of,
                                                                              finance_admin):
    from datetime import timedelta

    from django.utils import timezone

    from dashboard.selectors import business_yesterday
    from ledger.models import GLReconciliationResult, GLReconciliationRun, Journal
    from ledger.services.vouchers import system_user, voucher_post_by_system

    yesterday = business_yesterday(timezone.now())
    voucher = voucher_create(journal=Journal.objects.get(code="GEN"),
                             day=yesterday, lines=pair(chart["1100"], chart["2100"], "3"), user=system_user(),
                             kind="auto", source_day=yesterday)
    voucher_post_by_system(voucher=voucher)
    run = GLReconciliationRun.objects.create(as_of=yesterday - timedelta(days=1), created_by=finance_admin,
                                             created_at=timezone.now(), status="done")
    GLReconciliationResult.objects.create(run=run, account=chart["1202"], currency="INR", gl_balance=5,
                                          subledger_balance=0, variance=5, tolerance=0, status="unreconciled")
    page = admin_client_of(finance_admin).get("/admin/").content.decode()
    card = page[page.index('id="ledger"'):]
    assert f"transactions of {yesterday}" in card
    assert 'data-value="1"' in card and "1202 INR (variance 5.0000)" in card
