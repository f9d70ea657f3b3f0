"""Vouchers by people: bad input refused with its rule and nothing written, segregation of duties, periods,
numbers without gaps, reversals, bulk operations."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from ledger.choices import PeriodStatus, VoucherStatus
from ledger.errors import LedgerError
from ledger.models import AccountBalance, Period, PeriodEvent, Voucher, VoucherLine
from ledger.services.bulk import bulk_apply
from ledger.services.periods import period_for, period_move
from ledger.services.vouchers import (
    LineInput,
    lines_parse,
    system_user,
    voucher_cancel,
    voucher_create,
    voucher_post,
    voucher_post_by_system,
    voucher_reverse,
    voucher_review,
)
from ledger.tests.conftest import DAY, pair

pytestmark = pytest.mark.django_db


def _refusal(rule: str, action) -> LedgerError:
    with pytest.raises(LedgerError) as refused:
        action()
    assert refused.value.rule == rule, refused.value.message
    return refused.value


@pytest.fixture
def draft(chart, gen, finance_manager):
    return voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "250.00"),
                          user=finance_manager, description="bank top-up")


@pytest.fixture
def other_manager(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="second-manager", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="finance_manager"))
    return user


def _raw(account, debit="", credit="", currency="INR"):
    return {"account": account, "debit": debit, "credit": credit, "currency": currency}


@pytest.mark.parametrize(("lines", "rule", "line"), [
    ([_raw("1100", "100"), _raw("2100", credit="90")], "UNBALANCED", None),
    ([_raw("1100", "100", "100"), _raw("2100", credit="100")], "LINE_BOTH_SIDES", 0),
    ([_raw("1100", "100"), _raw("2100", credit="-100")], "NEGATIVE_AMOUNT", 1),
    ([_raw("1100", "100"), _raw("2100", credit="100", currency="XYZ")], "UNKNOWN_CURRENCY", 1),
    ([_raw("1100", "100"), _raw("1200", credit="100")], "NO_DIRECT_POSTING", 1),
    ([_raw("1100", "100"), _raw("9999", credit="100")], "UNKNOWN_ACCOUNT", 1),
    ([_raw("1100", "100.00001"), _raw("2100", credit="100")], "LINE_NO_AMOUNT", 0),
    ([_raw("1100", "100")], "EMPTY_VOUCHER", None),
])
def test_bad_lines_are_refused_naming_the_line_and_nothing_is_written(chart, gen, finance_manager, lines, rule, line):
    refused = _refusal(rule, lambda: voucher_create(journal=gen, day=DAY, lines=lines_parse(lines),
                                                    user=finance_manager))
    assert refused.details.get("line") == line
    assert not Voucher.objects.exists() and not VoucherLine.objects.exists()


def test_an_inactive_account_is_refused(chart, gen, finance_manager):
    chart["2100"].is_active = False
    chart["2100"].save()
    _refusal("INACTIVE_ACCOUNT", lambda: voucher_create(journal=gen, day=DAY, user=finance_manager,
                                                        lines=pair(chart["1100"], chart["2100"], "1")))


def test_the_creator_can_neither_review_nor_post_and_roles_are_checked(draft, finance_manager, other_manager,
                                                                       finance_admin, viewer):
    _refusal("SOD_SAME_USER", lambda: voucher_review(voucher_id=draft.pk, user=finance_manager))
    _refusal("ROLE_REQUIRED", lambda: voucher_review(voucher_id=draft.pk, user=viewer))
    _refusal("WRONG_STATUS", lambda: voucher_post(voucher_id=draft.pk, user=finance_admin))
    voucher_review(voucher_id=draft.pk, user=other_manager)
    _refusal("ROLE_REQUIRED", lambda: voucher_post(voucher_id=draft.pk, user=other_manager))
    posted = voucher_post(voucher_id=draft.pk, user=finance_admin)
    assert (posted.status, posted.number, posted.reviewed_by, posted.posted_by) == (
        VoucherStatus.POSTED, "GEN-2026-000001", other_manager, finance_admin)
    _refusal("ALREADY_POSTED", lambda: voucher_post(voucher_id=draft.pk, user=finance_admin))


def test_an_admin_who_created_a_voucher_cannot_post_it(chart, gen, finance_admin, other_manager):
    voucher = voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "1"), user=finance_admin)
    voucher_review(voucher_id=voucher.pk, user=other_manager)
    refused = _refusal("SOD_SAME_USER", lambda: voucher_post(voucher_id=voucher.pk, user=finance_admin))
    assert refused.code == "PERMISSION_DENIED" and refused.details == {"rule": "SOD_SAME_USER", "voucher": voucher.pk}
    assert Voucher.objects.get(pk=voucher.pk).status == VoucherStatus.REVIEW


def test_segregation_of_duties_is_a_setting(settings, draft, finance_manager):
    settings.LEDGER_SEGREGATION_OF_DUTIES = False
    assert voucher_review(voucher_id=draft.pk, user=finance_manager).status == VoucherStatus.REVIEW


def test_a_locked_period_refuses_and_a_closed_one_needs_finance_admin(chart, gen, finance_manager, finance_admin):
    voucher = voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "5"), user=system_user(),
                             kind="auto")
    period = period_for(DAY)
    voucher_cancel(voucher_id=voucher.pk, user=system_user())
    period_move(period_id=period.pk, action="close", user=finance_manager)
    blocked = voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "5"),
                             user=system_user(), kind="auto")
    _refusal("PERIOD_CLOSED", lambda: voucher_post_by_system(voucher=blocked))
    voucher_review(voucher_id=blocked.pk, user=finance_manager)
    assert voucher_post(voucher_id=blocked.pk, user=finance_admin).status == VoucherStatus.POSTED
    period_move(period_id=period.pk, action="lock", user=finance_admin)
    locked = voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "5"),
                            user=system_user(), kind="auto")
    voucher_review(voucher_id=locked.pk, user=finance_manager)
    refused = _refusal("PERIOD_LOCKED", lambda: voucher_post(voucher_id=locked.pk, user=finance_admin))
    assert refused.code == "CONFLICT"
    assert Voucher.objects.get(pk=locked.pk).status == VoucherStatus.REVIEW


def test_closing_with_drafts_is_refused_and_reopening_is_audited_with_a_reason(draft, finance_manager, finance_admin):
    period = draft.period
    refused = _refusal("PERIOD_HAS_DRAFTS", lambda: period_move(period_id=period.pk, action="close",
                                                                user=finance_manager))
    assert refused.details["vouchers"] == [draft.pk]
    voucher_cancel(voucher_id=draft.pk, user=finance_manager)
    period_move(period_id=period.pk, action="close", user=finance_manager)
    _refusal("ROLE_REQUIRED", lambda: period_move(period_id=period.pk, action="reopen", user=finance_manager,
                                                  reason="late invoice"))
    _refusal("REASON_REQUIRED", lambda: period_move(period_id=period.pk, action="reopen", user=finance_admin))
    period_move(period_id=period.pk, action="reopen", user=finance_admin, reason="late invoice")
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.OPEN
    assert list(PeriodEvent.objects.order_by("at").values_list("action", "from_status", "to_status", "reason")) == [
        ("close", "open", "closed", ""), ("reopen", "closed", "open", "late invoice")]


def test_reversal_mirrors_the_voucher_and_is_made_once(chart, gen, finance_manager, other_manager, finance_admin):
    original = voucher_post_by_system(voucher=voucher_create(
        journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "40"), user=system_user(), kind="auto"))
    reversal = voucher_reverse(voucher_id=original.pk, user=finance_manager)
    _refusal("ALREADY_REVERSED", lambda: voucher_reverse(voucher_id=original.pk, user=finance_manager))
    assert reversal.reverses == original
    voucher_review(voucher_id=reversal.pk, user=other_manager)
    voucher_post(voucher_id=reversal.pk, user=finance_admin)
    balances = AccountBalance.objects.filter(account=chart["1100"])
    assert [(b.debit, b.credit) for b in balances] == [(Decimal("40.0000"), Decimal("40.0000"))]


def test_numbers_follow_without_gaps_and_a_rolled_back_posting_gives_its_number_back(chart, gen):
    def post():
        return voucher_post_by_system(voucher=voucher_create(
            journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "1"), user=system_user(), kind="auto"))

    assert post().number == "GEN-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        post()
        raise RuntimeError("the caller's transaction fails after the number was taken")
    assert post().number == "GEN-2026-000002"
    other_year = voucher_create(journal=gen, day=date(2027, 1, 2), lines=pair(chart["1100"], chart["2100"], "1"),
                                user=system_user(), kind="auto")
    assert voucher_post_by_system(voucher=other_year).number == "GEN-2027-000001"


@pytest.mark.django_db(transaction=True)
def test_numbers_have_no_gaps_under_concurrency(chart, gen):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no concurrency to test")
    drafts = [voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], "1"), user=system_user(),
                             kind="auto") for _ in range(12)]
    errors = []

    def post(voucher):
        try:
            voucher_post_by_system(voucher=voucher)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(voucher,)) for voucher in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Voucher.objects.values_list("number", flat=True))
    assert numbers == [f"GEN-2026-{n:06d}" for n in range(1, 13)]


def _drafts(chart, gen, user, count):
    return [voucher_create(journal=gen, day=DAY, lines=pair(chart["1100"], chart["2100"], str(n + 1)), user=user).pk
            for n in range(count)]


def test_bulk_continue_reports_each_failure_and_commits_the_rest(chart, gen, finance_manager, other_manager):
    ids = _drafts(chart, gen, finance_manager, 2) + _drafts(chart, gen, other_manager, 1)
    result = bulk_apply(action="review", ids=[*ids, 999999], mode="continue", user=other_manager)
    assert (result["total"], result["succeeded"], result["failed"]) == (4, 2, 2)
    assert [(r["id"], r["ok"], r.get("error", {}).get("rule")) for r in result["results"]] == [
        (ids[0], True, None), (ids[1], True, None), (ids[2], False, "SOD_SAME_USER"), (999999, False, "UNKNOWN_ID")]
    assert list(Voucher.objects.order_by("id").values_list("status", flat=True)) == ["review", "review", "draft"]


def test_bulk_atomic_commits_nothing_when_one_fails(chart, gen, finance_manager, other_manager):
    ids = _drafts(chart, gen, finance_manager, 2) + _drafts(chart, gen, other_manager, 1)
    result = bulk_apply(action="review", ids=ids, mode="atomic", user=other_manager)
    assert (result["succeeded"], result["failed"]) == (0, 3)
    assert result["results"][2]["error"]["rule"] == "SOD_SAME_USER"
    assert result["results"][0]["error"]["rule"] == "ROLLED_BACK"
    assert set(Voucher.objects.values_list("status", flat=True)) == {"draft"}
    assert not Voucher.objects.filter(reviewed_by__isnull=False).exists()


def test_lines_given_directly_are_checked_too(chart, gen, finance_manager):
    lines = [LineInput(account=chart["1100"], debit=Decimal("1"), credit=Decimal("0"), currency="INR"),
             LineInput(account=chart["2100"], debit=Decimal("0"), credit=Decimal("1"), currency="USD")]
    refused = _refusal("UNBALANCED", lambda: voucher_create(journal=gen, day=DAY, lines=lines, user=finance_manager))
    assert refused.details["currencies"] == {"INR": "1", "USD": "-1"}
