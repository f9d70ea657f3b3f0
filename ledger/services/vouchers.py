"""Vouchers: create (draft), review, post, reverse, cancel. The only code that posts.

Posting happens in one transaction: the voucher row is locked, the period checked, the lines checked to
balance per currency, the next number of its journal and year taken from a locked counter row (a rollback
gives it back, so numbers have no gaps), the lines marked posted, the balances moved. The database then
refuses any change to what was posted (migration 0002).

Segregation of duties (``LEDGER_SEGREGATION_OF_DUTIES``): whoever created a voucher can neither review nor
post it; ``finance_manager`` reviews, ``finance_admin`` posts. Vouchers made from transactions are created
and (with ``LEDGER_AUTO_POST``) posted by the system user.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.roles import FINANCE_ADMIN, FINANCE_MANAGER, user_has_role
from ledger.choices import VoucherKind, VoucherStatus
from ledger.currencies import ISO_4217
from ledger.errors import LedgerError
from ledger.models import Account, AccountBalance, DayBalance, Journal, Voucher, VoucherCounter, VoucherLine
from ledger.seed import system_user_seed
from ledger.services.periods import period_check_posting, period_for
from transactions.money import MONEY_LIMIT, MONEY_QUANTUM


def system_user():
    """The user that creates and posts vouchers made from transactions."""
    return system_user_seed(user_model=get_user_model(), username=settings.LEDGER_SYSTEM_USERNAME)


@dataclass(frozen=True)
class LineInput:
    """One line as given by a person or the posting run, before it is stored."""

    account: Account
    debit: Decimal
    credit: Decimal
    currency: str
    project: str = ""
    description: str = ""
    rule_id: int | None = None
    rule_side: str = ""
    key_day: date | None = None
    key_source: str = ""
    key_event: str = ""


def lines_parse(raw_lines: list[dict]) -> list[LineInput]:
    """Lines from plain values (API, admin): each problem is a ``LedgerError`` naming the line (0-based)."""
    if not raw_lines:
        raise LedgerError("EMPTY_VOUCHER", "a voucher needs at least two lines")
    accounts = _accounts_of(raw_lines)
    parsed = []
    for index, raw in enumerate(raw_lines):
        account = accounts.get(str(raw.get("account", "")))
        if account is None:
            raise LedgerError("UNKNOWN_ACCOUNT", f"line {index}: no account {raw.get('account')!r}", line=index)
        parsed.append(LineInput(account=account, debit=_amount(raw.get("debit"), index, "debit"),
                                credit=_amount(raw.get("credit"), index, "credit"),
                                currency=str(raw.get("currency") or account.currency or "").upper(),
                                project=str(raw.get("project") or ""), description=str(raw.get("description") or "")))
    return parsed


def _accounts_of(raw_lines: list[dict]) -> dict[str, Account]:
    """The accounts the lines name by code, in one query."""
    return {account.code: account for account in
            Account.objects.filter(code__in={str(raw.get("account", "")) for raw in raw_lines})}


def _amount(value, index: int, side: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise LedgerError("LINE_NO_AMOUNT", f"line {index}: {side} {value!r} is not a number", line=index) from None
    if not amount.is_finite() or amount.copy_abs() >= MONEY_LIMIT or amount != amount.quantize(MONEY_QUANTUM):
        raise LedgerError("LINE_NO_AMOUNT", f"line {index}: {side} {value!r} is not an amount with at most four "
                          "decimal places", line=index)
    return amount


def lines_check(lines: list[LineInput], *, manual: bool) -> None:
    """Refuse lines that cannot make a voucher; every refusal names the line (or the currency)."""
    if len(lines) < 2:
        raise LedgerError("EMPTY_VOUCHER", "a voucher needs at least two lines")
    for index, line in enumerate(lines):
        if line.debit < 0 or line.credit < 0:
            raise LedgerError("NEGATIVE_AMOUNT", f"line {index}: amounts are never negative", line=index)
        if line.debit and line.credit:
            raise LedgerError("LINE_BOTH_SIDES", f"line {index}: a line is a debit or a credit, not both", line=index)
        if not line.debit and not line.credit:
            raise LedgerError("LINE_NO_AMOUNT", f"line {index}: neither debit nor credit", line=index)
        if line.currency not in ISO_4217:
            raise LedgerError("UNKNOWN_CURRENCY", f"line {index}: {line.currency!r} is not an ISO 4217 currency",
                              line=index)
        if line.account.currency and line.account.currency != line.currency:
            raise LedgerError("CURRENCY_MISMATCH", f"line {index}: account {line.account.code} is kept in "
                              f"{line.account.currency}, not {line.currency}", line=index)
        if not line.account.is_active:
            raise LedgerError("INACTIVE_ACCOUNT", f"line {index}: account {line.account.code} is inactive", line=index)
        if manual and not line.account.allows_direct_posting:
            raise LedgerError("NO_DIRECT_POSTING", f"line {index}: account {line.account.code} takes no direct "
                              "postings", line=index)
    _check_balanced([(line.currency, line.debit, line.credit) for line in lines])


def _check_balanced(amounts) -> None:
    totals = defaultdict(Decimal)
    for currency, debit, credit in amounts:
        totals[currency] += debit - credit
    off = {currency: total for currency, total in sorted(totals.items()) if total}
    if off:
        currency, total = next(iter(off.items()))
        raise LedgerError("UNBALANCED", f"debits and credits differ by {total} {currency}",
                          currencies={c: str(t) for c, t in off.items()})


def voucher_create(*, journal: Journal, day: date, lines: list[LineInput], user, description: str = "",
                   kind: str = VoucherKind.MANUAL, source_day: date | None = None,
                   reverses: Voucher | None = None) -> Voucher:
    """Store a draft voucher and its lines after checking them; a person creating one needs finance_manager."""
    manual = kind == VoucherKind.MANUAL
    if manual and not user_has_role(user, FINANCE_MANAGER):
        raise LedgerError("ROLE_REQUIRED", "creating a voucher needs finance_manager")
    lines_check(lines, manual=manual)
    with transaction.atomic():
        voucher = Voucher.objects.create(journal=journal, date=day, period=period_for(day), kind=kind,
                                         description=description[:255], source_day=source_day, reverses=reverses,
                                         created_by=user, created_at=timezone.now())
        VoucherLine.objects.bulk_create([
            VoucherLine(voucher=voucher, account=line.account, debit=line.debit, credit=line.credit,
                        currency=line.currency, project=line.project, description=line.description[:255], date=day,
                        rule_id=line.rule_id, rule_side=line.rule_side, key_day=line.key_day,
                        key_source=line.key_source, key_event=line.key_event)
            for line in lines])
    return voucher


def _locked(voucher_id: int) -> Voucher:
    voucher = Voucher.objects.select_for_update().filter(pk=voucher_id).first()
    if voucher is None:
        raise LedgerError("UNKNOWN_ID", f"no voucher with id {voucher_id}", voucher=voucher_id)
    return voucher


def _refuse_same_user(voucher: Voucher, user, action: str) -> None:
    if settings.LEDGER_SEGREGATION_OF_DUTIES and voucher.created_by_id == user.pk:
        raise LedgerError("SOD_SAME_USER", f"whoever created voucher {voucher.pk} cannot {action} it",
                          voucher=voucher.pk)


def _refuse_status(voucher: Voucher, allowed: set[str], action: str) -> None:
    if voucher.status in allowed:
        return
    rule = "ALREADY_POSTED" if voucher.status == VoucherStatus.POSTED else "WRONG_STATUS"
    raise LedgerError(rule, f"voucher {voucher.number or voucher.pk} is {voucher.status}; cannot {action} it",
                      voucher=voucher.pk, status=voucher.status)


def voucher_review(*, voucher_id: int, user) -> Voucher:
    """A finance_manager who did not create it reviews a draft: it moves to ``review``, ready to post."""
    if not user_has_role(user, FINANCE_MANAGER):
        raise LedgerError("ROLE_REQUIRED", "reviewing a voucher needs finance_manager", voucher=voucher_id)
    with transaction.atomic():
        voucher = _locked(voucher_id)
        _refuse_status(voucher, {VoucherStatus.DRAFT}, "review")
        _refuse_same_user(voucher, user, "review")
        voucher.status, voucher.reviewed_by, voucher.reviewed_at = VoucherStatus.REVIEW, user, timezone.now()
        voucher.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return voucher


def voucher_post(*, voucher_id: int, user) -> Voucher:
    """A finance_admin who did not create it posts a reviewed voucher."""
    if not user_has_role(user, FINANCE_ADMIN):
        raise LedgerError("ROLE_REQUIRED", "posting a voucher needs finance_admin", voucher=voucher_id)
    with transaction.atomic():
        voucher = _locked(voucher_id)
        _refuse_status(voucher, {VoucherStatus.REVIEW}, "post")
        _refuse_same_user(voucher, user, "post")
        return _post(voucher, user=user)


def voucher_post_by_system(*, voucher: Voucher) -> Voucher:
    """Post a voucher the system user created from transactions (auto-post); periods still apply."""
    with transaction.atomic():
        return _post(_locked(voucher.pk), user=voucher.created_by, system=True)


def _post(voucher: Voucher, *, user, system: bool = False) -> Voucher:
    period_check_posting(period=voucher.period, user=user, system=system)
    lines = list(voucher.lines.all())
    if len(lines) < 2:
        raise LedgerError("EMPTY_VOUCHER", f"voucher {voucher.pk} has fewer than two lines", voucher=voucher.pk)
    _check_balanced([(line.currency, line.debit, line.credit) for line in lines])
    voucher.lines.update(is_posted=True)
    voucher.number = _number_take(voucher.journal, voucher.date.year)
    voucher.status, voucher.posted_by, voucher.posted_at = VoucherStatus.POSTED, user, timezone.now()
    voucher.save(update_fields=["number", "status", "posted_by", "posted_at"])
    _balances_add(voucher, lines)
    return voucher


def _number_take(journal: Journal, year: int) -> str:
    """The next number of the journal and year, from its counter row locked until the posting commits."""
    VoucherCounter.objects.bulk_create([VoucherCounter(journal=journal, year=year)], ignore_conflicts=True)
    counter = VoucherCounter.objects.select_for_update().get(journal=journal, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{journal.code}-{year:04d}-{counter.last:06d}"


def _balances_add(voucher: Voucher, lines: list[VoucherLine]) -> None:
    """Add the voucher's lines to the kept balances of its period and of its day (two upserts per group)."""
    sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        group = sums[(line.account_id, line.currency, line.project)]
        group[0] += line.debit
        group[1] += line.credit
    for model, where in ((AccountBalance, {"period": voucher.period}), (DayBalance, {"day": voucher.date})):
        model.objects.bulk_create([model(account_id=a, currency=c, project=p, **where) for a, c, p in sums],
                                  ignore_conflicts=True)
        for (account_id, currency, project), (debit, credit) in sums.items():
            model.objects.filter(account_id=account_id, currency=currency, project=project, **where).update(
                debit=F("debit") + debit, credit=F("credit") + credit)


def voucher_reverse(*, voucher_id: int, user, day: date | None = None) -> Voucher:
    """A draft that mirrors a posted voucher (debits become credits) and points to it; reviewed and posted as
    any voucher. A voucher is reversed once: a second request is ``ALREADY_REVERSED``."""
    if not user_has_role(user, FINANCE_MANAGER):
        raise LedgerError("ROLE_REQUIRED", "reversing a voucher needs finance_manager", voucher=voucher_id)
    with transaction.atomic():
        original = _locked(voucher_id)
        if original.status != VoucherStatus.POSTED:
            raise LedgerError("NOT_POSTED", f"voucher {original.pk} is {original.status}; only a posted voucher is "
                              "reversed", voucher=original.pk)
        if Voucher.objects.filter(reverses=original).exists():
            raise LedgerError("ALREADY_REVERSED", f"voucher {original.number} is already reversed",
                              voucher=original.pk)
        lines = [LineInput(account=line.account, debit=line.credit, credit=line.debit, currency=line.currency,
                           project=line.project, description=line.description, rule_id=line.rule_id,
                           rule_side=line.rule_side, key_day=line.key_day, key_source=line.key_source,
                           key_event=line.key_event)
                 for line in original.lines.select_related("account")]
        return voucher_create(journal=original.journal, day=day or original.date, lines=lines, user=user,
                              description=f"Reversal of {original.number}", kind=VoucherKind.REVERSAL,
                              source_day=original.source_day, reverses=original)


def voucher_cancel(*, voucher_id: int, user) -> Voucher:
    """Cancel a draft or a voucher in review (its creator or a finance_manager); a cancelled reversal frees
    the voucher it reversed to be reversed again."""
    with transaction.atomic():
        voucher = _locked(voucher_id)
        if voucher.created_by_id != user.pk and not user_has_role(user, FINANCE_MANAGER):
            raise LedgerError("ROLE_REQUIRED", "cancelling someone else's voucher needs finance_manager",
                              voucher=voucher.pk)
        _refuse_status(voucher, {VoucherStatus.DRAFT, VoucherStatus.REVIEW}, "cancel")
        voucher.status, voucher.cancelled_by, voucher.cancelled_at = VoucherStatus.CANCELLED, user, timezone.now()
        voucher.reverses = None
        voucher.save(update_fields=["status", "cancelled_by", "cancelled_at", "reverses"])
    return voucher
