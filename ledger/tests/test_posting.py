"""Posting from transactions: the difference only, per key; refunds adjust; replays and second runs post nothing."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from conftest import build_row
from ledger.choices import RuleSide, VoucherKind, VoucherStatus
from ledger.models import Account, PostingRule, Voucher, VoucherLine
from ledger.selectors import line_transactions, transaction_lines
from ledger.services.posting import ledger_post
from ledger.services.rules import rule_save
from ledger.tests.conftest import DAY
from monitoring.choices import IncidentKind
from monitoring.models import AlertIncident
from transactions.models import Transaction
from transactions.services import transactions_upsert

NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def _balance(account: Account, currency: str = "INR") -> Decimal:
    sums = VoucherLine.objects.filter(account=account, currency=currency, is_posted=True).aggregate(
        d=Sum("debit"), c=Sum("credit"))
    return (sums["d"] or Decimal(0)) - (sums["c"] or Decimal(0))


def _payin(source_id: str, amount: str, *, status: str = "success", fee: str | None = "10.00", **fields):
    return build_row(source="vima", source_id=source_id, amount=Decimal(amount), status=status,
                     fee=Decimal(fee) if fee else None, created_at=fields.pop("created_at", NOON),
                     updated_at=fields.pop("updated_at", NOON),
                     **fields)


def test_a_day_posts_one_voucher_per_journal_with_the_events_summed(chart):
    transactions_upsert(rows=[_payin("a", "1000.00"), _payin("b", "500.00", fee="5.00"),
                              _payin("c", "300.00", status="failed"),
                              _payin("d", "200.00", direction="payout", fee="2.00")])
    outcome = ledger_post(date_from=DAY, date_to=DAY)
    assert (outcome.posted, outcome.drafts, outcome.keys, outcome.refused) == (1, 0, 4, [])
    voucher = Voucher.objects.get()
    assert (voucher.number, voucher.status, voucher.kind, voucher.source_day) == (
        "VIMA-2026-000001", VoucherStatus.POSTED, VoucherKind.AUTO, DAY)
    # settled pay-ins 1500 − pay-out 200 − fees 15 − 2
    assert _balance(Account.objects.get(purpose="clearing", source="vima")) == Decimal("1283.0000")
    assert _balance(Account.objects.get(purpose="customer_funds")) == Decimal("-1500.0000")
    assert _balance(Account.objects.get(purpose="fees")) == Decimal("17.0000")
    assert _balance(Account.objects.get(purpose="payouts")) == Decimal("200.0000")


def test_posting_a_day_twice_posts_it_once(chart):
    transactions_upsert(rows=[_payin("a", "1000.00")])
    ledger_post(date_from=DAY, date_to=DAY)
    again = ledger_post(date_from=DAY, date_to=DAY)
    assert (again.vouchers, again.keys) == ([], 0)
    assert Voucher.objects.count() == 1


def test_a_refund_after_posting_makes_one_adjusting_voucher_of_exactly_its_amount(chart):
    transactions_upsert(rows=[_payin("a", "1000.00"), _payin("b", "750.25")])
    ledger_post(date_from=DAY, date_to=DAY)
    transactions_upsert(rows=[_payin("b", "750.25", status="refunded", updated_at=NOON + timedelta(hours=3))])
    outcome = ledger_post(date_from=DAY, date_to=DAY)
    adjusting = Voucher.objects.get(pk__in=outcome.vouchers)
    assert (adjusting.kind, adjusting.number) == (VoucherKind.ADJUSTING, "VIMA-2026-000002")
    lines = list(adjusting.lines.order_by("id").values_list("account__purpose", "debit", "credit", "key_event"))
    assert lines == [("refunds", Decimal("750.2500"), Decimal("0.0000"), "refund"),
                     ("clearing", Decimal("0.0000"), Decimal("750.2500"), "refund")]
    assert ledger_post(date_from=DAY, date_to=DAY).vouchers == []


def test_a_corrected_amount_posts_the_difference_in_reverse(chart):
    transactions_upsert(rows=[_payin("a", "1000.00", fee=None)])
    ledger_post(date_from=DAY, date_to=DAY)
    transactions_upsert(rows=[_payin("a", "900.00", fee=None, updated_at=NOON + timedelta(hours=1))])
    outcome = ledger_post(date_from=DAY, date_to=DAY)
    lines = list(Voucher.objects.get(pk__in=outcome.vouchers).lines.order_by("id")
                 .values_list("account__purpose", "debit", "credit", "rule_side"))
    assert lines == [("clearing", Decimal(0), Decimal("100.0000"), RuleSide.DEBIT),
                     ("customer_funds", Decimal("100.0000"), Decimal(0), RuleSide.CREDIT)]


def test_draft_mode_leaves_vouchers_for_review_and_does_not_draft_twice(chart):
    transactions_upsert(rows=[_payin("a", "1000.00")])
    outcome = ledger_post(date_from=DAY, date_to=DAY, auto_post=False)
    assert (outcome.posted, outcome.drafts) == (0, 1)
    assert Voucher.objects.get().status == VoucherStatus.DRAFT
    assert ledger_post(date_from=DAY, date_to=DAY, auto_post=False).vouchers == []
    assert not VoucherLine.objects.filter(is_posted=True).exists()


def test_traceability_runs_both_ways(chart):
    transactions_upsert(rows=[_payin("a", "1000.00"), _payin("b", "20.00", project="other"),
                              _payin("c", "30.00", status="failed")])
    ledger_post(date_from=DAY, date_to=DAY)
    line = VoucherLine.objects.get(key_event="payin_settled", project="91game", rule_side=RuleSide.DEBIT)
    assert list(line_transactions(line).values_list("source_id", flat=True)) == ["a"]
    transaction = Transaction.objects.get(source_id="a")
    assert set(transaction_lines(transaction).values_list("key_event", flat=True)) == {"payin_settled", "payin_fee"}
    assert transaction_lines(transaction).count() == 4
    assert not transaction_lines(Transaction.objects.get(source_id="c")).exists()


def test_the_most_specific_rule_wins(chart):
    suspense, bank = Account.objects.get(purpose="suspense"), Account.objects.get(purpose="bank")
    project_rule = rule_save(rule=PostingRule(name="91game settles to bank", event="payin_settled", source="vima",
                                              project="91game", debit_account=bank,
                                              credit_account=Account.objects.get(purpose="customer_funds")))
    # less specific but a lower priority: specificity comes first
    rule_save(rule=PostingRule(name="any vima", event="payin_settled", currency="INR", priority=1,
                               debit_account=suspense, credit_account=bank))
    transactions_upsert(rows=[_payin("a", "1000.00", fee=None)])
    ledger_post(date_from=DAY, date_to=DAY)
    line = VoucherLine.objects.get(rule_side=RuleSide.DEBIT)
    assert (line.rule_id, line.account_id) == (project_rule.pk, bank.pk)


def test_a_tie_is_refused_when_saved_and_sent_to_suspense_with_an_incident_when_found(chart):
    bank, funds = Account.objects.get(purpose="bank"), Account.objects.get(purpose="customer_funds")
    by_project = rule_save(rule=PostingRule(name="by project", event="payin_settled", project="91game", priority=5,
                                            debit_account=bank, credit_account=funds))
    by_currency = PostingRule(name="by currency", event="payin_settled", currency="INR", priority=5,
                              debit_account=bank, credit_account=funds)
    from ledger.errors import LedgerError

    with pytest.raises(LedgerError) as refused:
        rule_save(rule=by_currency)
    assert refused.value.rule == "RULE_TIE" and refused.value.details["tied"] == [by_project.pk]
    assert by_currency.pk is None
    # a tie that reached the table some other way (e.g. the admin's bulk edit) is never picked silently
    by_currency.save()
    PostingRule.objects.filter(event="payin_settled", source="vima").update(is_active=False)
    transactions_upsert(rows=[_payin("a", "1000.00", fee=None)])
    outcome = ledger_post(date_from=DAY, date_to=DAY)
    assert outcome.unmatched == 1
    lines = VoucherLine.objects.filter(key_event="payin_settled")
    assert set(lines.values_list("account__purpose", "rule")) == {("suspense", None)}
    incident = AlertIncident.objects.get(kind=IncidentKind.LEDGER_UNMATCHED)
    assert f"rules {by_project.pk}, {by_currency.pk} tie" in incident.summary


def test_no_rule_sends_the_amount_to_suspense_and_a_rule_added_later_moves_it(chart):
    PostingRule.objects.filter(event="payin_settled", source="vima").update(is_active=False)
    transactions_upsert(rows=[_payin("a", "1000.00", fee=None)])
    ledger_post(date_from=DAY, date_to=DAY)
    suspense = Account.objects.get(purpose="suspense")
    assert VoucherLine.objects.filter(account=suspense, debit=Decimal("1000")).count() == 1
    assert "no rule matches" in AlertIncident.objects.get(kind=IncidentKind.LEDGER_UNMATCHED).summary
    PostingRule.objects.filter(event="payin_settled", source="vima").update(is_active=True)
    ledger_post(date_from=DAY, date_to=DAY)
    assert _balance(suspense) == 0
    assert _balance(Account.objects.get(purpose="clearing", source="vima")) == Decimal("1000.0000")


def test_realtime_mode_enqueues_one_task_per_day_within_the_delay(chart, settings, monkeypatch):
    from ledger.receivers import post_touched_days
    from ledger.tasks import post_days
    from transactions.signals import TransactionsChanged

    settings.LEDGER_POSTING_MODE, settings.LEDGER_REALTIME_DELAY_SECONDS = "realtime", 30
    sent = []
    monkeypatch.setattr(post_days, "apply_async", lambda args, countdown: sent.append((args, countdown)))
    change = TransactionsChanged(sources=frozenset({"vima"}), projects=frozenset({"91game"}), inserted=1, updated=0,
                                 slots=frozenset({NOON, NOON + timedelta(days=1)}))
    post_touched_days(sender=None, change=change)
    post_touched_days(sender=None, change=change)
    assert sent == [([[DAY.isoformat(), (DAY + timedelta(days=1)).isoformat()]], 30)]
    settings.LEDGER_POSTING_MODE = "batch"
    post_touched_days(sender=None, change=change)
    assert len(sent) == 1


def test_business_days_are_cut_in_the_ledger_time_zone(chart, settings):
    """India's day starts at 18:30 UTC: a pay-in at 18:00 UTC is the 15th's, one at 19:00 UTC the 16th's (read from
    the rollups' hour and quarter-hour pieces around the UTC days)."""
    from datetime import date

    settings.LEDGER_TIME_ZONE = "Asia/Kolkata"
    late, next_day = NOON.replace(hour=18), NOON.replace(hour=19)
    transactions_upsert(rows=[_payin("a", "100.00", fee=None, created_at=late, updated_at=late),
                              _payin("b", "40.00", fee=None, created_at=next_day, updated_at=next_day),
                              _payin("c", "7.00", fee=None, created_at=NOON - timedelta(hours=7),
                                     updated_at=NOON - timedelta(hours=7))])
    first = ledger_post(date_from=DAY, date_to=DAY)
    clearing = Account.objects.get(purpose="clearing", source="vima")
    assert (first.keys, _balance(clearing)) == (1, Decimal("107.0000"))  # 05:00 UTC is 10:30 on the 15th
    ledger_post(date_from=date(2026, 1, 16), date_to=date(2026, 1, 16))
    assert _balance(clearing) == Decimal("147.0000")
    assert set(Voucher.objects.values_list("source_day", flat=True)) == {DAY, date(2026, 1, 16)}
