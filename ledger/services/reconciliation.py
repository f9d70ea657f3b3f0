"""GL reconciliation (SPEC 11): for each provider clearing account and currency, as of a date, the GL balance
against its sub-ledger (what the provider's transactions say) and the provider-reported balance (the latest
PayShack wallet snapshots at or before the cut-off).

Reconciled when ``|GL − sub-ledger| <= max(tolerance_amount, tolerance_percent % of |sub-ledger|)`` (the
account's tolerances; percent means percent). Items in flight at the cut-off (created by then, but still open,
or completed after it) are listed as timing differences; each run lists those still in flight, so an item is
carried forward until it clears. Results are reviewed like reconciliation results (acknowledge, resolve with a
reason), each change kept in their history.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from common.roles import FINANCE_MANAGER, user_has_role
from integrations.models import BalanceSnapshot, ProviderAccount
from ledger import selectors
from ledger.choices import AccountPurpose, GLStatus, ReviewStatus
from ledger.errors import LedgerError
from ledger.models import Account, GLReconciliationResult, GLReconciliationRun
from transactions.choices import Status
from transactions.models import Transaction
from transactions.money import quantize_money

# Timing differences listed per result; the count and the sum always cover all of them.
MAX_TIMING_ITEMS = 100
REVIEW_CHANGE = "review"


def gl_run_create(*, as_of: date, user) -> GLReconciliationRun:
    """A queued run (the task ``ledger.gl_reconcile`` fills it); finance_manager and above."""
    if not user_has_role(user, FINANCE_MANAGER):
        raise LedgerError("ROLE_REQUIRED", "a GL reconciliation needs finance_manager")
    return GLReconciliationRun.objects.create(as_of=as_of, created_by=user, created_at=timezone.now())


def gl_reconcile(*, run: GLReconciliationRun) -> GLReconciliationRun:
    """Compare every clearing account per currency as of the run's date and store one result each."""
    _, cut_off = selectors.day_bounds(run.as_of, run.as_of)
    results = []
    for account in Account.objects.filter(purpose=AccountPurpose.CLEARING, is_active=True):
        gl = selectors.balances_as_of(as_of=run.as_of, account_id=account.pk)
        currencies = {currency for _, currency in gl} | _currencies(account.source, cut_off)
        for currency in sorted(currencies):
            debit, credit = gl.get((account.pk, currency), (Decimal(0), Decimal(0)))
            results.append(_result(run, account, currency, debit - credit, cut_off))
    _carry_reviews(run, results)
    with transaction.atomic():
        GLReconciliationResult.objects.bulk_create(results)
        run.status, run.finished_at = "done", timezone.now()
        run.save(update_fields=["status", "finished_at"])
    return run


def _carry_reviews(run: GLReconciliationRun, results: list[GLReconciliationResult]) -> None:
    """A run of a date already reconciled keeps the reviews of the latest earlier run of that date, per account and
    currency, while the result still says the same (its status and variance): a review is about those figures."""
    earlier = (GLReconciliationRun.objects.filter(as_of=run.as_of, status="done", id__lt=run.pk)
               .order_by("-id").first())
    if earlier is None:
        return
    reviewed = {(r.account_id, r.currency): r for r in earlier.results.exclude(review_status=ReviewStatus.OPEN)}
    for result in results:
        before = reviewed.get((result.account_id, result.currency))
        if before is not None and (before.status, before.variance) == (result.status, result.variance):
            result.review_status, result.review_reason = before.review_status, before.review_reason
            result.reviewed_by_id, result.reviewed_at = before.reviewed_by_id, before.reviewed_at


def _currencies(source: str, cut_off) -> set[str]:
    return set(Transaction.objects.filter(source=source, created_at__lt=cut_off).values_list("currency", flat=True)
               .distinct().order_by())


def reconciled(*, variance: Decimal, subledger: Decimal, tolerance_amount: Decimal, tolerance_percent: Decimal):
    """(whether it is reconciled, the tolerance applied): ``max(amount, percent % of |sub-ledger|)``."""
    tolerance = max(tolerance_amount, tolerance_percent / Decimal(100) * abs(subledger))
    return abs(variance) <= tolerance, quantize_money(tolerance)


def _result(run, account, currency: str, gl: Decimal, cut_off) -> GLReconciliationResult:
    subledger = selectors.clearing_subledger(source=account.source, currency=currency, as_of=run.as_of)
    variance = quantize_money(gl - subledger)
    ok, tolerance = reconciled(variance=variance, subledger=subledger, tolerance_amount=account.tolerance_amount,
                               tolerance_percent=account.tolerance_percent)
    return GLReconciliationResult(
        run=run, account=account, currency=currency, gl_balance=quantize_money(gl), subledger_balance=subledger,
        provider_balance=_provider_balance(account.source, currency, cut_off), variance=variance,
        tolerance=tolerance, status=GLStatus.RECONCILED if ok else GLStatus.UNRECONCILED,
        timing=_timing(account.source, currency, cut_off))


def _provider_balance(source: str, currency: str, cut_off) -> Decimal | None:
    """The sum of the provider's client wallets in ``currency``, each at its latest snapshot before the cut-off;
    None when the provider reports no balance (Vima) or none was read by then."""
    latest = (BalanceSnapshot.objects.filter(account=OuterRef("pk"), taken_at__lt=cut_off, currency=currency)
              .order_by("-taken_at").values("balance")[:1])
    balances = [value for value in ProviderAccount.objects.filter(source=source)
                .annotate(latest=Subquery(latest)).values_list("latest", flat=True) if value is not None]
    return quantize_money(sum(balances, Decimal(0))) if balances else None


def _timing(source: str, currency: str, cut_off) -> dict:
    """Transactions in flight at the cut-off: created by then, and still open or completed after it."""
    in_flight = Transaction.objects.filter(
        Q(status__in=[Status.PENDING, Status.PROCESSING]) | Q(completed_at__gte=cut_off),
        source=source, currency=currency, created_at__lt=cut_off)
    totals = in_flight.aggregate(count=Count("id"), amount=Sum("amount"))
    items = [{"id": str(pk), "source_id": source_id, "amount": str(amount), "status": status}
             for pk, source_id, amount, status in
             in_flight.order_by("created_at").values_list("id", "source_id", "amount", "status")[:MAX_TIMING_ITEMS]]
    return {"count": totals["count"], "amount": str(quantize_money(Decimal(totals["amount"] or 0))), "items": items}


def gl_results_review(*, result_ids: list[int], user, action: str, reason: str = "") -> int:
    """Acknowledge or resolve (with a reason) results; each change leaves one audit row. Returns how many."""
    if not user_has_role(user, FINANCE_MANAGER):
        raise LedgerError("ROLE_REQUIRED", "reviewing GL reconciliation results needs finance_manager")
    if action == ReviewStatus.RESOLVED and not reason.strip():
        raise LedgerError("REASON_REQUIRED", "resolving a result needs a reason")
    if action not in (ReviewStatus.ACKNOWLEDGED, ReviewStatus.RESOLVED):
        raise LedgerError("WRONG_STATUS", f"unknown review action {action!r}: acknowledged or resolved")
    with transaction.atomic():
        results = list(GLReconciliationResult.objects.select_for_update().filter(pk__in=result_ids))
        missing = sorted(set(result_ids) - {result.pk for result in results})
        if missing:
            raise LedgerError("UNKNOWN_ID", f"no GL reconciliation result with id {missing[0]}", results=missing)
        now = timezone.now()
        for result in results:
            result.review_status, result.review_reason = action, reason.strip()
            result.reviewed_by, result.reviewed_at = user, now
        bulk_update_with_history(results, GLReconciliationResult,
                                 ["review_status", "review_reason", "reviewed_by", "reviewed_at"],
                                 default_user=user, default_change_reason=REVIEW_CHANGE)
    return len(results)


def gl_reconcile_by_system(*, as_of: date) -> GLReconciliationRun:
    """A GL reconciliation the hub runs itself (nightly, after a posting, the demo), created by the system user."""
    from ledger.services.vouchers import system_user

    run = GLReconciliationRun.objects.create(as_of=as_of, created_by=system_user(), created_at=timezone.now())
    return gl_reconcile_or_fail(run=run)


def gl_reconcile_or_fail(*, run: GLReconciliationRun) -> GLReconciliationRun:
    """``gl_reconcile``; a failure is kept on the run (``failed`` with the error) and raised for the task's log."""
    try:
        return gl_reconcile(run=run)
    except Exception as error:
        GLReconciliationRun.objects.filter(pk=run.pk).update(status="failed", error=str(error)[:2000],
                                                             finished_at=timezone.now())
        raise
