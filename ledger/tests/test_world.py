"""The sandboxes' world synced end to end with realtime posting: each provider's clearing account holds what its
transactions say, to the cent, the trial balance is zero per currency, a refund adjusts once, a replay posts
nothing."""

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from config.celery import app as celery_app
from integrations.choices import RunStatus
from integrations.core.runner import sync_run
from integrations.payshack.tests.conftest import api_source
from integrations.vima.sync import VimaSource
from ledger.choices import VoucherKind
from ledger.models import Account, Voucher, VoucherLine
from ledger.selectors import trial_balance
from transactions.models import Transaction
from transactions.rows import NormalizedTransaction
from transactions.services import transactions_upsert

# Transactional like the PayShack tests: the syncs commit window by window, and posting follows each commit.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("payshack_mapping", "chart")]


@pytest.fixture
def realtime(settings):
    """Celery runs the realtime posting task in the process (no worker here): each sync commit posts its days."""
    settings.LEDGER_POSTING_MODE = "realtime"
    settings.LEDGER_AUTO_POST = True
    settings.LEDGER_REALTIME_DELAY_SECONDS = 0  # a task per commit: eager tasks ignore countdowns
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def synced(world, clock, start_vima, payshack, realtime):
    vima = sync_run(source=VimaSource(start_vima()), trigger="command")
    payshack_run = sync_run(source=api_source(payshack(), clock), trigger="command")
    assert (vima.status, payshack_run.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    return start_vima, payshack


def _expected_clearing() -> dict[tuple[str, str], Decimal]:
    """From the rows, independently of the ledger's code: settled pay-ins minus pay-outs, refunds and fees."""
    expected = defaultdict(Decimal)
    for t in Transaction.objects.all():
        fee = t.fee or Decimal(0)
        if t.direction == "payin" and t.status in ("success", "refunded"):
            expected[(t.source, t.currency)] += t.amount - fee - (t.amount if t.status == "refunded" else 0)
        elif t.direction == "payout" and t.status == "success":
            expected[(t.source, t.currency)] -= t.amount + fee
    return dict(expected)


def _clearing_balances() -> dict[tuple[str, str], Decimal]:
    rows = (VoucherLine.objects.filter(is_posted=True, account__purpose="clearing")
            .values_list("account__source", "currency").annotate(d=Sum("debit"), c=Sum("credit")))
    return {(source, currency): Decimal(d) - Decimal(c) for source, currency, d, c in rows}


def test_clearing_accounts_hold_what_the_transactions_say_and_the_trial_balance_is_zero(synced, world):
    expected = _expected_clearing()
    assert {source for source, _ in expected} == {"vima", "payshack"}
    assert len(expected) >= 4  # several currencies, so that no sum is right by having one currency only
    assert _clearing_balances() == expected
    rows, totals = trial_balance(as_of=world.end + timedelta(days=2))
    assert totals and set(totals.values()) == {Decimal(0)}
    assert {row.currency for row in rows} == {currency for _, currency in expected}
    assert not VoucherLine.objects.filter(account__purpose="suspense").exists()


def test_replaying_the_sync_posts_nothing_and_a_refund_adjusts_once_by_its_amount(synced, world, clock):
    start_vima, payshack = synced
    before = Voucher.objects.count()
    sync_run(source=VimaSource(start_vima()), trigger="command")
    sync_run(source=api_source(payshack(), clock), trigger="command")
    from ledger.services.posting import ledger_post

    assert ledger_post(date_from=world.start.date(), date_to=world.end.date()).vouchers == []
    assert Voucher.objects.count() == before

    paid = Transaction.objects.filter(source="vima", direction="payin", status="success").order_by("source_id")[0]
    fields = {f.name: getattr(paid, f.name) for f in NormalizedTransaction.__dataclass_fields__.values()
              if f.name not in ("warnings",)}
    refunded = replace(NormalizedTransaction(**fields), status="refunded", updated_at=paid.updated_at + timedelta(1))
    transactions_upsert(rows=[refunded])
    adjusting = Voucher.objects.exclude(pk__in=Voucher.objects.order_by("id")[:before].values("pk"))
    assert adjusting.count() == 1
    voucher = adjusting.get()
    assert voucher.kind == VoucherKind.ADJUSTING
    assert list(voucher.lines.values_list("key_event", "debit", "credit", "account__purpose").order_by("id")) == [
        ("refund", paid.amount, Decimal(0), "refunds"), ("refund", Decimal(0), paid.amount, "clearing")]
    assert _clearing_balances() == _expected_clearing()
    assert Account.objects.filter(purpose="clearing").count() == 2
