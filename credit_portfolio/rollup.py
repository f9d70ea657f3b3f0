"""The portfolio's monthly totals (``MonthlyTotal``): kept exact by the write path, read by the analytics.

The write path hands over what each statement did to the rows it touched (a row counted in, or counted
out, of its group), as ``Deltas``; ``totals_apply`` moves the groups' totals by them in the same
transaction. A group's ``last_date`` (the latest repayment) only grows by additions; when a removal
took the date it held, that one group's latest date is read again from the repayments.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps as django_apps
from django.db.models import Count, F, IntegerField, Max, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from credit_portfolio.choices import PaymentKind
from credit_portfolio.models import Expense, MonthlyTotal

RECEIPTS, EXPENSES = "receipts", "expenses"
KINDS = (RECEIPTS, EXPENSES, PaymentKind.PRINCIPAL.value, PaymentKind.INTEREST.value)
CENT = Decimal("0.01")
# Groups per bulk statement: a batch touches a few hundred at most (kinds × contracts × months).
STATEMENT_ROWS = 500


def money(value) -> Decimal:
    """A stored amount as the database hands it back (SQLite: a float) → Decimal in cents."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(CENT)


def day(value) -> date | None:
    """A stored date as the database hands it back (SQLite, in raw SQL: text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class _Move:
    amount: Decimal = Decimal("0.00")
    operations: int = 0
    latest_added: date | None = None
    removed_dates: set = field(default_factory=set)


class Deltas:
    """What a batch did to each group (kind, organization, contract, bank, month): amounts and counts in and out."""

    def __init__(self):
        self.groups: dict[tuple, _Move] = defaultdict(_Move)

    def add(self, kind: str, organization: int, contract, bank, when, amount, sign: int = 1) -> None:
        when = day(when)
        if when is None:  # a detail line whose repayment has not arrived: not in any total yet
            return
        move = self.groups[(kind, organization, contract or 0, bank or 0, when.replace(day=1))]
        move.amount += money(amount) * sign
        move.operations += sign
        if sign > 0:
            move.latest_added = max(move.latest_added or when, when)
        else:
            move.removed_dates.add(when)

    def add_summed(self, kind: str, organization: int, contract, bank, month, *, amount, operations: int,
                   latest) -> None:
        """Rows the database summed into one group as it inserted them (PostgreSQL): all counted in."""
        if month is None:  # detail lines whose repayment has not arrived: not in any total yet
            return
        move = self.groups[(kind, organization, contract or 0, bank or 0, day(month))]
        move.amount += money(amount)
        move.operations += operations
        latest = day(latest)
        move.latest_added = max(move.latest_added or latest, latest)

    def __bool__(self) -> bool:
        return bool(self.groups)


def totals_apply(deltas: Deltas) -> None:
    """Move the stored totals by ``deltas``: one select, the new values computed here in Decimal (SQLite would
    add amounts as floats), written back with one upsert per ``STATEMENT_ROWS`` groups; emptied groups go."""
    if not deltas:
        return
    keys = deltas.groups
    stored = {(t.kind, t.organization_id, t.contract_id, t.bank_id, t.month): t for t in MonthlyTotal.objects.filter(
        kind__in={k[0] for k in keys}, organization_id__in={k[1] for k in keys}, month__in={k[4] for k in keys})}
    kept, emptied = [], []
    for key, move in keys.items():
        total = stored.get(key) or MonthlyTotal(kind=key[0], organization_id=key[1], contract_id=key[2],
                                                bank_id=key[3], month=key[4], amount=Decimal("0.00"), operations=0)
        total.amount += move.amount
        total.operations += move.operations
        if total.operations <= 0:
            emptied.append(total)
            continue
        if key[0] == EXPENSES:
            _move_latest(total, move)
        kept.append(total)
    MonthlyTotal.objects.bulk_create(kept, batch_size=STATEMENT_ROWS, update_conflicts=True,
                                     unique_fields=["kind", "organization_id", "contract_id", "bank_id", "month"],
                                     update_fields=["amount", "operations", "last_date"])
    MonthlyTotal.objects.filter(pk__in=[t.pk for t in emptied if t.pk]).delete()


def _move_latest(total: MonthlyTotal, move: _Move) -> None:
    if total.last_date in move.removed_dates:
        # The latest repayment left the group (deleted, or moved): read the group's latest again.
        month_end = date(total.month.year + total.month.month // 12, total.month.month % 12 + 1, 1)
        total.last_date = Expense.objects.filter(
            organization_id=total.organization_id, contract_id=total.contract_id or None,
            bank_id=total.bank_id or None, date__gte=total.month, date__lt=month_end,
        ).aggregate(latest=Max("date"))["latest"]
    if move.latest_added:
        total.last_date = max(total.last_date or move.latest_added, move.latest_added)


def totals_rebuild(apps=None) -> int:
    """Recompute every monthly total from the operations (after a bulk load that bypassed the write path, or
    in a migration, which passes its ``apps``); returns the groups stored."""
    model = (apps or django_apps).get_model
    totals, receipts, expenses, details = (model("credit_portfolio", name) for name in (
        "MonthlyTotal", "Receipt", "Expense", "RepaymentDetail"))
    totals.objects.all().delete()
    group = {"org_key": F("organization_id"), "month_start": TruncMonth("date"),
             "contract_key": Coalesce("contract_id", Value(0), output_field=IntegerField()),
             "bank_key": Coalesce("bank_id", Value(0), output_field=IntegerField())}
    sources = ((RECEIPTS, receipts.objects.all()), (EXPENSES, expenses.objects.all()),
               *((kind, details.objects.filter(payment_kind=kind, date__isnull=False))
                 for kind in (PaymentKind.PRINCIPAL.value, PaymentKind.INTEREST.value)))
    rows = [totals(kind=kind, organization_id=row["org_key"], contract_id=row["contract_key"], bank_id=row["bank_key"],
                   month=row["month_start"], amount=row["total"], operations=row["n"],
                   last_date=row["latest"] if kind == EXPENSES else None)
            for kind, queryset in sources
            for row in queryset.values(**group).annotate(total=Sum("amount"), n=Count("pk"), latest=Max("date"))]
    totals.objects.bulk_create(rows, batch_size=STATEMENT_ROWS)
    return len(rows)
