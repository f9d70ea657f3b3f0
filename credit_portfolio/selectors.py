"""Reads of the credit portfolio: the analytics finance managers ask for (SPEC 13).

Every figure is summed in the database from one table at a time: receipts, repayments (``paid``:
each repayment once, whatever number of detail lines it has) and detail lines (principal and
interest, dated by their repayment; lines whose repayment has not arrived yet are not counted).
Money is Decimal; percentages are Decimal with two places, None where the base is zero.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

from credit_portfolio.choices import PaymentKind
from credit_portfolio.models import Contract, Expense, Organization, Receipt, RepaymentDetail

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


_SPLIT = {"principal": Sum("amount", filter=Q(payment_kind=PaymentKind.PRINCIPAL), default=ZERO),
          "interest": Sum("amount", filter=Q(payment_kind=PaymentKind.INTEREST), default=ZERO)}


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * HUNDRED / whole).quantize(Decimal("0.01")) if whole else None


def summary(query: PortfolioQuery) -> dict:
    received = query.receipts().aggregate(total=Sum("amount", default=ZERO))["total"]
    paid = query.expenses().aggregate(total=Sum("amount", default=ZERO))["total"]
    split = query.details().aggregate(**_SPLIT)
    contracts = set(query.receipts().filter(contract__isnull=False).values_list("contract_id", flat=True).distinct())
    contracts |= set(query.expenses().filter(contract__isnull=False).values_list("contract_id", flat=True).distinct())
    return {"received": received, "paid": paid, "net": received - paid, "principal": split["principal"],
            "interest": split["interest"], "active_contracts": len(contracts),
            "notes": {"active_contracts": "contracts with a receipt or a repayment in the period",
                      "principal, interest": "detail lines of repayments in the period, dated by their repayment",
                      "net": "received − paid"}}


def _by(queryset, group, **sums) -> dict:
    return {row.pop("key"): row for row in queryset.annotate(key=group).values("key").annotate(**sums).order_by("key")}


def _months(query: PortfolioQuery) -> tuple[dict, dict, dict]:
    month = TruncMonth("date")
    return (_by(query.receipts(), month, received=Sum("amount")), _by(query.expenses(), month, paid=Sum("amount")),
            _by(query.details(), month, **_SPLIT))


def _month_name(day) -> str:
    return f"{day:%Y-%m}"


def monthly_stats(query: PortfolioQuery) -> list[dict]:
    received, paid, _ = _months(query)
    return [{"month": _month_name(m), "receipts": received.get(m, {}).get("received", ZERO),
             "expenses": paid.get(m, {}).get("paid", ZERO),
             "net": received.get(m, {}).get("received", ZERO) - paid.get(m, {}).get("paid", ZERO)}
            for m in sorted(set(received) | set(paid))]


def monthly_efficiency(query: PortfolioQuery) -> list[dict]:
    split = _by(query.details(), TruncMonth("date"), **_SPLIT)
    rows = []
    for month, sums in split.items():
        total = sums["principal"] + sums["interest"]
        rows.append({"month": _month_name(month), "principal": sums["principal"], "interest": sums["interest"],
                     "total": total, "efficiency": percent(sums["principal"], total)})
    return rows


def org_efficiency(query: PortfolioQuery) -> list[dict]:
    """Per organization; ``paid`` sums repayments (each once), principal and interest sum their lines."""
    org = "organization_id"
    received = _by(query.receipts(), F(org), received=Sum("amount"))
    paid = _by(query.expenses(), F(org), paid=Sum("amount"), repayments=Count("pk"))
    split = _by(query.details(), F(org), **_SPLIT)
    names = dict(Organization.objects.filter(pk__in=set(received) | set(paid) | set(split)).values_list("pk", "name"))
    rows = []
    for pk, name in sorted(names.items(), key=lambda item: item[1]):
        got = received.get(pk, {}).get("received", ZERO)
        principal = split.get(pk, {}).get("principal", ZERO)
        interest = split.get(pk, {}).get("interest", ZERO)
        rows.append({"organization_id": pk, "organization": name, "paid": paid.get(pk, {}).get("paid", ZERO),
                     "repayments": paid.get(pk, {}).get("repayments", 0), "principal": principal,
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
    year = ExtractYear("date")
    received = _by(query.receipts(), year, received=Sum("amount"))
    paid = _by(query.expenses(), year, paid=Sum("amount"))
    split = _by(query.details(), year, **_SPLIT)
    rows, previous = [], None
    for y in sorted(set(received) | set(paid) | set(split)):
        row = {"year": y, "received": received.get(y, {}).get("received", ZERO),
               "principal": split.get(y, {}).get("principal", ZERO), "interest": split.get(y, {}).get("interest", ZERO),
               "paid": paid.get(y, {}).get("paid", ZERO)}
        for name in ("received", "paid"):
            before = previous[name] if previous else None
            row[f"{name}_growth"] = percent(row[name] - before, before) if before else None
        rows.append(row)
        previous = row
    return rows


def contracts(query: PortfolioQuery) -> list[dict]:
    """Per contract with any operation: paid, principal, interest, operations (receipts and repayments),
    the last repayment's date. Ordered by organization and contract name."""
    contract = F("contract_id")
    received = _by(query.receipts().filter(contract__isnull=False), contract, received=Sum("amount"), n=Count("pk"))
    paid = _by(query.expenses().filter(contract__isnull=False), contract, paid=Sum("amount"), n=Count("pk"),
               last=Max("date"))
    split = _by(query.details().filter(contract__isnull=False), contract, **_SPLIT)
    known = Contract.objects.filter(pk__in=set(received) | set(paid) | set(split)).select_related("organization",
                                                                                                     "bank")
    rows = []
    for c in sorted(known, key=lambda c: (c.organization.name, c.name)):
        r, p, s = received.get(c.pk, {}), paid.get(c.pk, {}), split.get(c.pk, {})
        rows.append({"contract_id": c.pk, "contract": c.name, "organization": c.organization.name,
                      "bank": c.bank.name if c.bank else "", "received": r.get("received", ZERO),
                      "paid": p.get("paid", ZERO), "principal": s.get("principal", ZERO),
                      "interest": s.get("interest", ZERO), "operations": r.get("n", 0) + p.get("n", 0),
                      "last_payment": p.get("last")})
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
