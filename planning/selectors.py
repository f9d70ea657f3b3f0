"""Plan against actual (SPEC 12): the loan book's from its daily totals (``LoanDay``), payment volumes from the
transaction rollups.

Issuance actual = bodies of credits issued; collection actual = repayments (body and interest);
body and interest = repayments of that type. Performance = actual / plan × 100, ``None`` without a
plan (or with a plan of 0); a month with actuals and no plan is listed and flagged ``unplanned``.
"""

from calendar import monthrange
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from analytics.periods import Period
from analytics.selectors import MetricsQuery, rollups
from lending.models import LoanDay
from planning.calendar import business_tz
from planning.choices import CategoryCode
from planning.models import Plan
from transactions.choices import Direction, Status
from transactions.money import from_units

# Which daily totals make up each category's actual.
KINDS = {CategoryCode.ISSUANCE: ("issuance",), CategoryCode.COLLECTION: ("body", "interest"),
         CategoryCode.BODY: ("body",), CategoryCode.INTEREST: ("interest",)}
YEAR_CATEGORIES = (CategoryCode.ISSUANCE, CategoryCode.COLLECTION)
_CENT = Decimal("0.01")


def _percent(part, whole) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / Decimal(whole)).quantize(_CENT)


def _actuals(first: date, last: date) -> dict[tuple[int, str], list[int]]:
    """[count, cents] per (month, category) of the days first … last."""
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for day, kind, count, cents in LoanDay.objects.filter(day__gte=first, day__lte=last).values_list(
            "day", "kind", "count", "amount_e2"):
        for code, kinds in KINDS.items():
            if kind in kinds:
                totals[(day.month, code)][0] += count
                totals[(day.month, code)][1] += cents
    return totals


def _plans(year: int, project: str, codes) -> dict[tuple[int, str], Plan]:
    plans = Plan.objects.filter(month__year=year, project=project, category__code__in=codes).select_related("category")
    return {(plan.month.month, plan.category.code): plan for plan in plans}


def year_performance(*, year: int, project: str = "") -> dict:
    """Each month of ``year``: per category its plan, actual count and sum, performance and share of the year."""
    actuals = _actuals(date(year, 1, 1), date(year, 12, 31))
    plans = _plans(year, project, YEAR_CATEGORIES)
    year_cents = {code: sum(actuals[(m, code)][1] for m in range(1, 13) if (m, code) in actuals)
                  for code in YEAR_CATEGORIES}
    months = []
    for month in range(1, 13):
        row = {"month": date(year, month, 1)}
        for code in YEAR_CATEGORIES:
            count, cents = actuals.get((month, code), (0, 0))
            plan = plans.get((month, code))
            row[code] = _line(plan, count, cents) | {"share_of_year": _percent(cents, year_cents[code])}
        months.append(row)
    return {"year": year, "project": project or None, "months": months}


def _line(plan: Plan | None, count: int, cents: int) -> dict:
    actual = Decimal(cents) / 100
    return {"plan": plan.amount if plan else None, "currency": plan.currency if plan else None,
            "count": count, "sum": actual.quantize(_CENT),
            "performance": _percent(actual, plan.amount) if plan else None,
            "unplanned": plan is None and count > 0}


def plans_performance(*, as_of: date, project: str = "") -> list[dict]:
    """Each plan of ``as_of``'s year whose month has begun, against that month's own days up to ``as_of``
    (a month before ``as_of``'s counts whole; ``as_of``'s month counts its first days only)."""
    actuals = _actuals(date(as_of.year, 1, 1), as_of)
    plans = _plans(as_of.year, project, tuple(KINDS))
    result = []
    for (month, code), plan in sorted(plans.items()):
        if month > as_of.month:
            continue
        count, cents = actuals.get((month, code), (0, 0))
        last = as_of if month == as_of.month else date(as_of.year, month, monthrange(as_of.year, month)[1])
        result.append({"month": plan.month, "category": code, "category_name": plan.category.name,
                       "through": last} | _line(plan, count, cents))
    return result


# Payment-volume categories and the direction of the transactions each one plans.
VOLUME_DIRECTIONS = {CategoryCode.PAYIN_VOLUME: Direction.PAYIN, CategoryCode.PAYOUT_VOLUME: Direction.PAYOUT}


def payment_volumes(*, year: int, projects: frozenset[str] | None) -> list[dict]:
    """Per month of ``year``, project, direction and currency: the pay-in or pay-out volume plan against the
    successful transactions of the rollups (months are the business time zone's). ``projects`` None: every
    project. A group with transactions and no plan is listed and flagged ``unplanned``."""
    plans = Plan.objects.filter(month__year=year, category__code__in=VOLUME_DIRECTIONS).select_related("category")
    if projects is not None:
        plans = plans.filter(project__in=projects)
    planned = {(plan.month.month, plan.project, VOLUME_DIRECTIONS[plan.category.code], plan.currency): plan
               for plan in plans}
    actual = _volumes(year, projects)
    rows = []
    for key in sorted(set(planned) | set(actual)):
        month, project, direction, currency = key
        plan = planned.get(key)
        count, units = actual.get(key, (0, 0))
        total = from_units(units).quantize(_CENT)
        rows.append({"month": date(year, month, 1), "project": project or None, "direction": direction,
                     "category": next(code for code, d in VOLUME_DIRECTIONS.items() if d == direction),
                     "currency": currency, "plan": plan.amount if plan else None, "count": count, "sum": total,
                     "performance": _percent(total, plan.amount) if plan else None,
                     "unplanned": plan is None and count > 0})
    return rows


def _volumes(year: int, projects: frozenset[str] | None) -> dict[tuple, tuple[int, int]]:
    """(count, ten-thousandths) of successful transactions per (month, project, direction, currency)."""
    found = {}
    for month in range(1, 13):
        last = date(year, month, monthrange(year, month)[1])
        query = MetricsQuery(Period(date(year, month, 1), last, business_tz()), projects=projects,
                             status=Status.SUCCESS)
        for row in rollups(query).values("project", "direction", "currency").annotate(
                n=Sum("count"), units=Sum("amount_e4")).order_by():
            if row["n"]:
                found[(month, row["project"], row["direction"], row["currency"])] = (int(row["n"]), int(row["units"]))
    return found
