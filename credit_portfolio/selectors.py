"""Reads of the credit portfolio: the analytics finance managers ask for (SPEC 13).

Every figure is read from the monthly totals the import keeps (``rollup``), per kind: receipts,
repayments (``paid``: each repayment once, whatever number of detail lines it has) and detail lines
(principal and interest, dated by their repayment; lines whose repayment has not arrived yet are not
counted). Only a part-month at either end of a period is summed from the operations themselves.
Money is Decimal; percentages are Decimal with two places, None where the base is zero.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Max, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth

from credit_portfolio.choices import PaymentKind
from credit_portfolio.models import Contract, Expense, MonthlyTotal, Organization, Receipt, RepaymentDetail
from credit_portfolio.rollup import EXPENSES, KINDS, RECEIPTS

PRINCIPAL, INTEREST = PaymentKind.PRINCIPAL.value, PaymentKind.INTEREST.value

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PortfolioQuery:
    """The filters of every answer: a period (inclusive, either end open) and an organization, bank, contract."""

    first: date | None = None
    last: date | None = None
    organization: int | None = None
    bank: int | None = None
    contract: int | None = None

    def cache_key(self) -> str:
        return f"{self.first}|{self.last}|{self.organization}|{self.bank}|{self.contract}"

    def filter(self, queryset):
        conditions = Q()
        if self.first:
            conditions &= Q(date__gte=self.first)
        if self.last:
            conditions &= Q(date__lte=self.last)
        for name in ("organization", "bank", "contract"):
            if getattr(self, name) is not None:
                conditions &= Q(**{f"{name}_id": getattr(self, name)})
        return queryset.filter(conditions)

    def receipts(self):
        return self.filter(Receipt.objects.all())

    def expenses(self):
        return self.filter(Expense.objects.all())

    def details(self):
        return self.filter(RepaymentDetail.objects.filter(date__isnull=False))


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * HUNDRED / whole).quantize(Decimal("0.01")) if whole else None


@dataclass
class _Total:
    amount: Decimal = ZERO
    operations: int = 0
    last: date | None = None

    def add(self, amount, operations, last) -> None:
        self.amount += amount or ZERO
        self.operations += operations or 0
        if last is not None:
            self.last = max(self.last or last, last)


# How each grouping is read from the monthly totals and from the operations (for part-months).
_TOTALS_KEYS = {"organization": F("organization_id"), "contract": F("contract_id"), "month": F("month"),
                "year": ExtractYear("month")}
_OPERATION_KEYS = {"organization": F("organization_id"),
                   "contract": Coalesce("contract_id", Value(0), output_field=IntegerField()),
                   "month": TruncMonth("date"), "year": ExtractYear("date")}


def _grouped(query: PortfolioQuery, by: tuple[str, ...]) -> dict[str, dict[tuple, _Total]]:
    """Per kind (receipts, expenses, principal, interest): totals grouped ``by``, over the query's period and
    filters. Whole months are read from the monthly totals; a part-month at either end of the period is
    summed from its operations (found by their date index)."""
    months, edges = _period_split(query.first, query.last)
    found = {kind: defaultdict(_Total) for kind in KINDS}
    if months is not None:
        totals = MonthlyTotal.objects.filter(**_ids_filter(query), operations__gt=0)
        if months[0]:
            totals = totals.filter(month__gte=months[0])
        if months[1]:
            totals = totals.filter(month__lt=months[1])
        keys = {f"k_{name}": _TOTALS_KEYS[name] for name in by}
        for row in totals.values("kind", **keys).annotate(a=Sum("amount"), n=Sum("operations"), last=Max("last_date")):
            found[row["kind"]][tuple(row[k] for k in keys)].add(row["a"], row["n"], row["last"])
    for first, last in edges:
        edge = PortfolioQuery(first, last, query.organization, query.bank, query.contract)
        keys = {f"k_{name}": _OPERATION_KEYS[name] for name in by}
        for kind, operations in _operations(edge):
            for row in operations.values(**keys).annotate(a=Sum("amount"), n=Count("pk"), last=Max("date")):
                found[kind][tuple(row[k] for k in keys)].add(row["a"], row["n"], row["last"] if kind == EXPENSES
                                                            else None)
    return found


def _ids_filter(query: PortfolioQuery) -> dict:
    return {f"{name}_id": getattr(query, name) for name in ("organization", "bank", "contract")
            if getattr(query, name) is not None}


def _operations(query: PortfolioQuery):
    yield RECEIPTS, query.receipts()
    yield EXPENSES, query.expenses()
    for kind in (PaymentKind.PRINCIPAL, PaymentKind.INTEREST):
        yield kind.value, query.details().filter(payment_kind=kind)


def _period_split(first: date | None, last: date | None) -> tuple[tuple | None, list[tuple[date, date]]]:
    """The period as whole months ``[from, to)`` (month starts; None for an open end, or no whole month at
    all) and the part-months at its ends, as inclusive day ranges."""
    if first and last and first > last:
        return None, []
    start = first if first is None or first.day == 1 else _month_after(first)
    after = None if last is None else last + timedelta(days=1)
    end = None if after is None else (after if after.day == 1 else after.replace(day=1))
    if start and end and start >= end:
        return None, [(first, last)]
    edges = []
    if first and first.day != 1:
        edges.append((first, start - timedelta(days=1)))
    if last and after.day != 1:
        edges.append((end, last))
    return (start, end), edges


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _amount(found: dict, kind: str, key: tuple) -> Decimal:
    total = found[kind].get(key)
    return total.amount if total else ZERO


def summary(query: PortfolioQuery) -> dict:
    found = _grouped(query, ("contract",))
    total = {kind: sum((t.amount for t in groups.values()), ZERO) for kind, groups in found.items()}
    contracts = {key[0] for kind in (RECEIPTS, EXPENSES) for key, t in found[kind].items() if key[0] and t.operations}
    return {"received": total[RECEIPTS], "paid": total[EXPENSES], "net": total[RECEIPTS] - total[EXPENSES],
            "principal": total[PRINCIPAL], "interest": total[INTEREST], "active_contracts": len(contracts),
            "notes": {"active_contracts": "contracts with a receipt or a repayment in the period",
                      "principal, interest": "detail lines of repayments in the period, dated by their repayment",
                      "net": "received − paid"}}


def _month_name(day) -> str:
    return f"{day:%Y-%m}"


def monthly_stats(query: PortfolioQuery) -> list[dict]:
    found = _grouped(query, ("month",))
    rows = []
    for key in sorted(set(found[RECEIPTS]) | set(found[EXPENSES])):
        received, paid = _amount(found, RECEIPTS, key), _amount(found, EXPENSES, key)
        rows.append({"month": _month_name(key[0]), "receipts": received, "expenses": paid, "net": received - paid})
    return rows


def monthly_efficiency(query: PortfolioQuery) -> list[dict]:
    found = _grouped(query, ("month",))
    rows = []
    for key in sorted(set(found[PRINCIPAL]) | set(found[INTEREST])):
        principal, interest = _amount(found, PRINCIPAL, key), _amount(found, INTEREST, key)
        total = principal + interest
        rows.append({"month": _month_name(key[0]), "principal": principal, "interest": interest, "total": total,
                     "efficiency": percent(principal, total)})
    return rows


def org_efficiency(query: PortfolioQuery) -> list[dict]:
    """Per organization; ``paid`` sums repayments (each once: the repayments' own totals, never their lines),
    principal and interest sum their lines."""
    found = _grouped(query, ("organization",))
    pks = {key[0] for groups in found.values() for key in groups}
    names = dict(Organization.objects.filter(pk__in=pks).values_list("pk", "name"))
    rows = []
    for pk, name in sorted(names.items(), key=lambda item: item[1]):
        key = (pk,)
        got, principal = _amount(found, RECEIPTS, key), _amount(found, PRINCIPAL, key)
        interest = _amount(found, INTEREST, key)
        repayments = found[EXPENSES].get(key)
        rows.append({"organization_id": pk, "organization": name, "paid": _amount(found, EXPENSES, key),
                     "repayments": repayments.operations if repayments else 0, "principal": principal,
                     "interest": interest, "received": got, "efficiency": percent(principal, principal + interest),
                     "debt_ratio": percent(got - principal, got)})
    return rows


def cashflow_monthly(query: PortfolioQuery) -> list[dict]:
    balance, rows = ZERO, []
    for row in monthly_stats(query):
        balance += row["net"]
        rows.append({"month": row["month"], "inflow": row["receipts"], "outflow": row["expenses"], "net": row["net"],
                     "cumulative": balance})
    return rows


def yearly_comparison(query: PortfolioQuery) -> list[dict]:
    found = _grouped(query, ("year",))
    rows, previous = [], None
    for key in sorted({key for groups in found.values() for key in groups}):
        row = {"year": key[0], "received": _amount(found, RECEIPTS, key), "principal": _amount(found, PRINCIPAL, key),
               "interest": _amount(found, INTEREST, key), "paid": _amount(found, EXPENSES, key)}
        for name in ("received", "paid"):
            before = previous[name] if previous else None
            row[f"{name}_growth"] = percent(row[name] - before, before) if before else None
        rows.append(row)
        previous = row
    return rows


def contracts(query: PortfolioQuery) -> list[dict]:
    """Per contract with any operation: paid, principal, interest, operations (receipts and repayments),
    the last repayment's date. Ordered by organization and contract name."""
    found = _grouped(query, ("contract",))
    pks = {key[0] for groups in found.values() for key in groups if key[0]}
    rows = []
    for c in sorted(Contract.objects.filter(pk__in=pks).select_related("organization", "bank"),
                    key=lambda c: (c.organization.name, c.name)):
        key = (c.pk,)
        received, paid = found[RECEIPTS].get(key, _Total()), found[EXPENSES].get(key, _Total())
        rows.append({"contract_id": c.pk, "contract": c.name, "organization": c.organization.name,
                     "bank": c.bank.name if c.bank else "", "received": received.amount, "paid": paid.amount,
                     "principal": _amount(found, PRINCIPAL, key), "interest": _amount(found, INTEREST, key),
                     "operations": received.operations + paid.operations, "last_payment": paid.last})
    return rows


# The answers by name: the API, the exports and the dashboard read them from here.
ANSWERS = {
    "summary": summary, "monthly-stats": monthly_stats, "monthly-efficiency": monthly_efficiency,
    "org-efficiency": org_efficiency, "cashflow-monthly": cashflow_monthly, "yearly-comparison": yearly_comparison,
    "contracts": contracts,
}


def import_overview(*, now) -> dict:
    """For the operations page: each file's latest import (status, counts, rejects) and the next scheduled run."""
    from django_celery_beat.models import PeriodicTask

    from credit_portfolio.choices import SOURCE_NAME
    from credit_portfolio.models import ImportLog

    latest = {}
    for log in ImportLog.objects.order_by("file_name", "-started_at", "-pk").only(
            "file_name", "status", "started_at", "rows_read", "inserted", "updated", "unchanged", "rejected", "error",
            "kind", "organization"):
        latest.setdefault(log.file_name, log)
    task = PeriodicTask.objects.filter(name=f"sync {SOURCE_NAME}").select_related("crontab", "interval").first()
    next_run = None
    if task and task.enabled:
        next_run = now + task.schedule.remaining_estimate(task.last_run_at or now)
    return {"files": sorted(latest.values(), key=lambda log: log.file_name), "schedule": task, "next_run_at": next_run}


def dashboard_cards() -> dict:
    """For the admin home: the all-time summary and the last twelve months of receipts and repayments."""
    stats = monthly_stats(PortfolioQuery())[-12:]
    return {"summary": summary(PortfolioQuery()),
            "chart": {"labels": [row["month"] for row in stats],
                      "receipts": [float(row["receipts"]) for row in stats],  # chart heights only: cards show exact
                      "expenses": [float(row["expenses"]) for row in stats]}}
