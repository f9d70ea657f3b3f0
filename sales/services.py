"""Writes of the sales app: departments (parents before children), and days of sales replaced whole."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sales.models import DailySales, Department, HourlySales
from sales.signals import sales_changed


@dataclass(frozen=True)
class DepartmentRow:
    """One department as a source lists it; empty fields are left as they are."""

    code: str
    name: str
    parent_code: str = ""
    kind: str = Department.Kind.DEPARTMENT
    company: str = ""
    bin: str = ""
    iiko_id: str = ""
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DepartmentsOutcome:
    inserted: int
    updated: int
    orphans: list[str]  # codes written without a parent: their parent code names nothing known


def departments_upsert(*, rows: list[DepartmentRow]) -> DepartmentsOutcome:
    """Write ``rows`` parents first, whatever order they came in; an orphan is written and reported.

    Call inside a transaction (the sync runner's): either every row is written or none.
    """
    by_code = {row.code: row for row in rows}
    known = dict(Department.objects.filter(code__in=set(by_code) | {r.parent_code for r in rows})
                 .values_list("code", "pk"))
    inserted = updated = 0
    orphans: list[str] = []
    for level in _levels(by_code):
        for row in level:
            parent_pk = known.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent_pk is None:
                orphans.append(row.code)
            values = {"name": row.name, "kind": row.kind, "parent_code": row.parent_code, "parent_id": parent_pk}
            values.update({name: getattr(row, name) for name in ("company", "bin", "iiko_id") if getattr(row, name)})
            department, created = Department.objects.update_or_create(code=row.code, defaults=values)
            known[row.code] = department.pk
            inserted, updated = inserted + created, updated + (not created)
    return DepartmentsOutcome(inserted, updated, orphans)


def _levels(by_code: dict[str, DepartmentRow]) -> list[list[DepartmentRow]]:
    """Rows in generations: first those whose parent is not in the batch, then their children, and so on.

    A cycle (a row that is its own ancestor) is written last, as orphans would be.
    """
    done: set[str] = set()
    levels, left = [], dict(by_code)
    while left:
        level = [row for row in left.values() if row.parent_code not in left or row.parent_code in done]
        if not level:  # a cycle: cut it
            level = list(left.values())
        levels.append(sorted(level, key=lambda row: row.code))
        for row in level:
            done.add(row.code)
            left.pop(row.code)
    return levels


@dataclass(frozen=True)
class SaleOrder:
    """One order as the POS reports it: its department (iiko's id), close time (local, naive), amount."""

    department_iiko_id: str
    number: str
    closed_at: datetime
    amount: Decimal

    @property
    def day(self) -> date:
        return self.closed_at.date()


@dataclass(frozen=True)
class SalesDay:
    """Opens a day's orders: every order that closed on ``day`` follows it, so the day is replaced whole."""

    day: date


@dataclass(frozen=True)
class DaysOutcome:
    inserted: int
    updated: int
    unchanged: int
    deleted: int


def sales_days_replace(*, days: dict[date, list[SaleOrder]], currency: str) -> DaysOutcome:
    """Make each day of ``days`` exactly its orders, summed by close day and hour per department.

    Every department iiko lists gets a daily row (zero if it sold nothing); rows of that day that the
    orders no longer support are deleted, so a resync replaces exactly that day and no other. Counts
    are of daily rows. Raises ``ValueError`` naming an order whose department is unknown (nothing is
    written then: the caller's transaction rolls back).
    """
    if not days:
        return DaysOutcome(0, 0, 0, 0)
    ids = dict(Department.objects.exclude(iiko_id=None).values_list("iiko_id", "pk"))
    listed = set(Department.objects.exclude(iiko_id=None).filter(kind=Department.Kind.DEPARTMENT)
                 .values_list("pk", flat=True))
    daily, hourly = _summed(days, ids)
    for day in days:
        for department in listed:
            daily.setdefault((department, day), [Decimal(0), 0])
    now = timezone.now()
    with transaction.atomic():
        outcome = _replace(DailySales, days, daily, currency=currency, now=now)
        _replace(HourlySales, days, hourly, currency=currency, now=now)
    changed = sorted(days)
    transaction.on_commit(lambda: sales_changed.send(sender=DailySales, days=changed))
    return outcome


def _summed(days: dict[date, list[SaleOrder]], ids: dict[str, int]):
    daily: dict = defaultdict(lambda: [Decimal(0), 0])
    hourly: dict = defaultdict(lambda: [Decimal(0), 0])
    for day, orders in days.items():
        for order in orders:
            department = ids.get(order.department_iiko_id)
            if department is None:
                raise ValueError(f"order {order.number}: department {order.department_iiko_id} is not known")
            if order.day != day:
                raise ValueError(f"order {order.number} closed on {order.day}, not on {day}")
            for cell in (daily[(department, day)], hourly[(department, day, order.closed_at.hour)]):
                cell[0] += order.amount
                cell[1] += 1
    return dict(daily), dict(hourly)


def _replace(model, days, cells: dict[tuple, list], *, currency: str, now) -> DaysOutcome:
    """Make ``model``'s rows of ``days`` exactly ``cells`` (key → [amount, orders]), in bulk."""
    keys = ("department_id", "day", "hour") if model is HourlySales else ("department_id", "day")
    existing = {tuple(getattr(row, k) for k in keys): row for row in model.objects.filter(day__in=list(days))}
    gone = [row.pk for key, row in existing.items() if key not in cells]
    new, changed, unchanged = [], [], 0
    for key, (amount, orders) in cells.items():
        row = existing.get(key)
        if row is None:
            new.append(model(**dict(zip(keys, key, strict=True)), amount=amount, orders=orders, currency=currency,
                             synced_at=now))
        elif (row.amount, row.orders, row.currency) != (amount, orders, currency):
            row.amount, row.orders, row.currency, row.synced_at = amount, orders, currency, now
            changed.append(row)
        else:
            unchanged += 1
    model.objects.filter(pk__in=gone).delete()
    model.objects.bulk_create(new, batch_size=BULK_ROWS)
    model.objects.bulk_update(changed, ["amount", "orders", "currency", "synced_at"], batch_size=BULK_ROWS)
    return DaysOutcome(len(new), len(changed), unchanged, len(gone))


# Rows per INSERT/UPDATE statement: a day of 50 departments is ~50 daily and ~600 hourly rows; 1,000
# keeps SQLite's bound-parameter limit far away and PostgreSQL's statements small.
BULK_ROWS = 1_000
