"""Periods: the month a date falls in, and closing, locking and reopening it (each audited).

Posting into a closed period needs ``finance_admin``; into a locked one it is refused. A period with
drafts or vouchers in review cannot be closed: they would be stranded in it.
"""

import calendar
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.roles import FINANCE_ADMIN, FINANCE_MANAGER, user_has_role
from ledger.choices import PeriodAction, PeriodStatus, VoucherStatus
from ledger.errors import LedgerError
from ledger.models import Period, PeriodEvent

# action → (statuses it starts from, the status it leads to, the role it needs)
_MOVES = {
    PeriodAction.CLOSE: ({PeriodStatus.OPEN}, PeriodStatus.CLOSED, FINANCE_MANAGER),
    PeriodAction.LOCK: ({PeriodStatus.CLOSED}, PeriodStatus.LOCKED, FINANCE_ADMIN),
    PeriodAction.REOPEN: ({PeriodStatus.CLOSED, PeriodStatus.LOCKED}, PeriodStatus.OPEN, FINANCE_ADMIN),
}


def period_for(day: date) -> Period:
    """The period of ``day``, created open if it does not exist yet."""
    code = f"{day.year:04d}-{day.month:02d}"
    period = Period.objects.filter(code=code).first()
    if period is not None:
        return period
    last = calendar.monthrange(day.year, day.month)[1]
    try:
        with transaction.atomic():
            return Period.objects.create(code=code, start=day.replace(day=1), end=day.replace(day=last))
    except IntegrityError:  # created by another process a moment ago
        return Period.objects.get(code=code)


def period_check_posting(*, period: Period, user, system: bool = False) -> None:
    """Refuse posting into a locked period, and into a closed one unless ``user`` is a finance_admin
    (the system user never is: its postings into a closed period wait until it is reopened)."""
    if period.status == PeriodStatus.LOCKED:
        raise LedgerError("PERIOD_LOCKED", f"period {period.code} is locked; nothing can be posted into it",
                          period=period.code)
    if period.status == PeriodStatus.CLOSED and (system or not user_has_role(user, FINANCE_ADMIN)):
        raise LedgerError("PERIOD_CLOSED", f"period {period.code} is closed; posting into it needs finance_admin",
                          period=period.code)


def period_move(*, period_id: int, action: str, user, reason: str = "") -> Period:
    """Close, lock or reopen a period, recording who, when and why; a reopen needs a reason."""
    sources, target, role = _MOVES[PeriodAction(action)]
    if not user_has_role(user, role):
        raise LedgerError("ROLE_REQUIRED", f"to {action} a period needs {role}", period=period_id)
    if action == PeriodAction.REOPEN and not reason.strip():
        raise LedgerError("REASON_REQUIRED", "reopening a period needs a reason", period=period_id)
    with transaction.atomic():
        period = Period.objects.select_for_update().filter(pk=period_id).first()
        if period is None:
            raise LedgerError("UNKNOWN_ID", f"no period with id {period_id}", period=period_id)
        if period.status not in sources:
            raise LedgerError("WRONG_STATUS", f"period {period.code} is {period.status}; cannot {action} it",
                              period=period.code, status=period.status)
        if action == PeriodAction.CLOSE:
            _refuse_pending(period)
        PeriodEvent.objects.create(period=period, action=action, from_status=period.status, to_status=target,
                                   user=user, reason=reason.strip(), at=timezone.now())
        period.status = target
        period.save(update_fields=["status"])
    return period


def _refuse_pending(period: Period) -> None:
    pending = list(period.vouchers.filter(status__in=[VoucherStatus.DRAFT, VoucherStatus.REVIEW])
                   .values_list("pk", flat=True)[:20])
    if pending:
        raise LedgerError("PERIOD_HAS_DRAFTS", f"period {period.code} still has vouchers in draft or review "
                          f"(ids {', '.join(map(str, pending))}); post or cancel them first",
                          period=period.code, vouchers=pending)
