"""GL reconciliation: GL vs sub-ledger within the account's tolerance (percent means percent), the provider's
reported balance from wallet snapshots, timing differences carried until they clear, reviews audited."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import build_row
from integrations.models import BalanceSnapshot, ProviderAccount, SyncRun
from ledger.errors import LedgerError
from ledger.models import Account, GLReconciliationResult
from ledger.services.posting import ledger_post
from ledger.services.reconciliation import gl_reconcile, gl_results_review, gl_run_create
from ledger.services.vouchers import system_user, voucher_create, voucher_post_by_system
from ledger.tests.conftest import DAY, pair
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 1, 15, 12, tzinfo=UTC)


@pytest.fixture
def clearing(chart):
    account = Account.objects.get(purpose="clearing", source="vima")
    account.tolerance_amount, account.tolerance_percent = Decimal(0), Decimal(1)
    account.save()
    transactions_upsert(rows=[build_row(source="vima", source_id="p1", amount=Decimal("1000.00"), fee=None,
                                        created_at=NOON, updated_at=NOON, completed_at=NOON)])
    ledger_post(date_from=DAY, date_to=DAY)
    return account


def _run(user) -> GLReconciliationResult:
    run = gl_reconcile(run=gl_run_create(as_of=DAY, user=user))
    return run.results.get(account__source="vima", currency="INR")


def _book(clearing, amount: str):
    """A manual entry on the clearing account only, so the GL differs from the transactions by ``amount``."""
    voucher_post_by_system(voucher=voucher_create(journal=clearing.lines.first().voucher.journal, day=DAY,
                                                  lines=pair(clearing, Account.objects.get(purpose="suspense"),
                                                             amount), user=system_user(), kind="auto"))


@pytest.mark.parametrize(("extra", "status"), [("0", "reconciled"), ("5.00", "reconciled"),
                                               ("15.00", "unreconciled")])
def test_a_variance_within_the_percent_tolerance_is_reconciled(clearing, finance_manager, extra, status):
    if extra != "0":
        _book(clearing, extra)
    result = _run(finance_manager)
    assert (result.gl_balance, result.subledger_balance) == (Decimal("1000") + Decimal(extra), Decimal("1000"))
    assert (result.variance, result.tolerance, result.status) == (Decimal(extra), Decimal("10.0000"), status)


def test_the_provider_balance_is_the_latest_wallet_snapshot_before_the_cut_off(chart, finance_manager):
    wallet = ProviderAccount.objects.create(source="vima", kind="client", external_id="w1", name="wallet",
                                            refreshed_at=timezone.now())
    run = SyncRun.objects.create(source="vima", kind="metadata", started_at=timezone.now())
    for hour, balance in ((9, "700.00"), (20, "800.00")):
        BalanceSnapshot.objects.create(account=wallet, run=run, balance=Decimal(balance), currency="INR",
                                       taken_at=NOON.replace(hour=hour))
    BalanceSnapshot.objects.create(account=wallet, run=run, balance=Decimal("999"), currency="INR",
                                   taken_at=datetime(2026, 1, 16, 1, tzinfo=UTC))
    transactions_upsert(rows=[build_row(source="vima", source_id="p1", amount=Decimal("1.00"), fee=None,
                                        created_at=NOON, updated_at=NOON)])
    assert _run(finance_manager).provider_balance == Decimal("800.0000")


def test_in_flight_items_are_listed_until_they_clear(clearing, finance_manager):
    transactions_upsert(rows=[build_row(source="vima", source_id="open", amount=Decimal("50.00"), status="pending",
                                        created_at=NOON, updated_at=NOON)])
    timing = _run(finance_manager).timing
    assert (timing["count"], timing["amount"], [i["source_id"] for i in timing["items"]]) == (1, "50.0000", ["open"])
    transactions_upsert(rows=[build_row(source="vima", source_id="open", amount=Decimal("50.00"), status="success",
                                        created_at=NOON, updated_at=NOON.replace(hour=13), completed_at=NOON)])
    assert _run(finance_manager).timing["count"] == 0


def test_reviews_need_a_reason_to_resolve_and_are_audited(clearing, finance_manager, viewer):
    result = _run(finance_manager)
    with pytest.raises(LedgerError) as refused:
        gl_results_review(result_ids=[result.pk], user=finance_manager, action="resolved")
    assert refused.value.rule == "REASON_REQUIRED"
    with pytest.raises(LedgerError):
        gl_results_review(result_ids=[result.pk], user=viewer, action="acknowledged")
    gl_results_review(result_ids=[result.pk], user=finance_manager, action="resolved", reason="bank fee booked late")
    result.refresh_from_db()
    assert (result.review_status, result.review_reason, result.reviewed_by) == (
        "resolved", "bank fee booked late", finance_manager)
    history = result.history.order_by("history_date").last()
    assert (history.history_user, history.review_status) == (finance_manager, "resolved")


def test_the_api_queues_a_run_and_reviews_its_results(clearing, api_client, finance_manager,
                                                     django_capture_on_commit_callbacks):
    api_client.force_authenticate(finance_manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = api_client.post("/api/v1/ledger/reconciliations", {"as_of": "2026-01-15"}, format="json")
    assert queued.status_code == 202 and queued.json()["data"]["status"] == "queued"
    assert len(callbacks) == 1  # the task is sent after commit; run here as a worker would
    from ledger.tasks import gl_reconcile_run

    gl_reconcile_run(queued.json()["data"]["id"])
    run = api_client.get(f"/api/v1/ledger/reconciliations/{queued.json()['data']['id']}").json()["data"]
    assert run["status"] == "done"
    result = next(r for r in run["results"] if r["account"] == clearing.code)
    assert result["status"] == "reconciled"
    refused = api_client.patch(f"/api/v1/ledger/reconciliation-results/{result['id']}", {"action": "resolved"},
                               format="json")
    assert refused.status_code == 400 and refused.json()["error"]["details"]["rule"] == "REASON_REQUIRED"
    done = api_client.patch(f"/api/v1/ledger/reconciliation-results/{result['id']}",
                            {"action": "acknowledged"}, format="json")
    assert done.json()["data"]["review_status"] == "acknowledged"


def test_an_id_past_64_bits_is_a_404(chart, api_client, finance_manager):
    api_client.force_authenticate(finance_manager)
    answer = api_client.patch(f"/api/v1/ledger/reconciliation-results/{2**80}", {"action": "acknowledged"},
                              format="json")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "NOT_FOUND"
    for path in (f"vouchers/{2**80}", f"reconciliations/{2**80}"):
        assert api_client.get(f"/api/v1/ledger/{path}").status_code == 404
    assert api_client.post(f"/api/v1/ledger/vouchers/{2**80}/review").status_code == 404


def test_a_posting_runs_again_the_reconciled_dates_it_moves_keeping_their_reviews(clearing, finance_manager,
                                                                                 settings, request):
    from datetime import timedelta

    from config.celery import app as celery_app
    from ledger.models import GLReconciliationRun
    from ledger.tasks import post_days

    settings.LEDGER_NIGHTLY_DAYS = 10_000  # DAY is long past on the machine's clock
    settings.LEDGER_GL_RERUN_DELAY_SECONDS = 0  # at once: eager tasks ignore countdowns
    celery_app.conf.task_always_eager = True  # no worker here: the task runs in the process
    request.addfinalizer(lambda: setattr(celery_app.conf, "task_always_eager", False))
    first = _run(finance_manager)
    gl_results_review(result_ids=[first.pk], user=finance_manager, action="acknowledged")
    earlier = gl_reconcile(run=gl_run_create(as_of=DAY - timedelta(days=1), user=finance_manager))
    post_days([DAY.isoformat()])  # nothing changed: nothing posted, nothing run again
    assert GLReconciliationRun.objects.count() == 2
    transactions_upsert(rows=[build_row(source="vima", source_id="p2", amount=Decimal("500.00"), fee=None,
                                        created_at=NOON, updated_at=NOON, completed_at=NOON)])
    post_days([DAY.isoformat()])
    latest = GLReconciliationRun.objects.filter(as_of=DAY).order_by("-id").first()
    assert latest.pk != first.run_id and latest.created_by == system_user() and latest.status == "done"
    again = latest.results.get(account__source="vima", currency="INR")
    assert (again.gl_balance, again.subledger_balance, again.status) == (Decimal("1500"), Decimal("1500"),
                                                                        "reconciled")
    assert again.review_status == "acknowledged"  # the same status and variance: the review still holds
    assert GLReconciliationRun.objects.filter(as_of=earlier.as_of).count() == 1  # before the posting: unmoved


def test_the_command_reconciles_a_date_by_the_system_user(clearing):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("ledger", "reconcile", "--as-of", DAY.isoformat(), stdout=out)
    result = GLReconciliationResult.objects.get(account=clearing, currency="INR")
    assert result.run.created_by == system_user() and result.status == "reconciled"
    assert out.getvalue().strip() == f"GL reconciliation run {result.run_id} as of {DAY}: 1 accounts reconciled=1"
