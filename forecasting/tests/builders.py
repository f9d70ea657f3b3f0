"""Plain builders of actuals for the forecasting tests: departments with daily sales, and daily payment rollups.

Series are synthetic (a weekly shape, a slow trend, noise from a seed) rather than the POS world's: the world
sums every order, which takes minutes for the months a backtest needs; the benchmark uses the world.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from analytics.models import TransactionRollup
from analytics.spans import Span
from sales.models import DailySales, Department

WEEKLY = (1.0, 1.05, 1.1, 1.0, 1.4, 1.7, 1.2)


def daily_values(days: int, *, base: float, seed: int, last: date, zero_days=()) -> list[Decimal]:
    """A weekly shape times a trend times ±10 % noise, as money; ``zero_days`` sold nothing."""
    rng = np.random.default_rng(seed)
    first = last - timedelta(days=days - 1)
    values = []
    for i in range(days):
        day = first + timedelta(days=i)
        value = base * WEEKLY[day.weekday()] * (1 + 0.1 * i / 365) * rng.lognormal(0, 0.1)
        values.append(Decimal(0) if day in zero_days else Decimal(str(round(value, 2))))
    return values


def sales_history(*, departments: int = 3, days: int = 150, last: date, zero_days=()) -> list[Department]:
    """Departments D001… (iiko-listed) with ``days`` of daily sales up to ``last``."""
    organization = Department.objects.create(code="ORG01", name="Org", kind=Department.Kind.ORGANIZATION,
                                             iiko_id="org-1")
    result, rows = [], []
    first = last - timedelta(days=days - 1)
    for n in range(1, departments + 1):
        department = Department.objects.create(code=f"D{n:03d}", name=f"Department {n}", parent=organization,
                                               parent_code="ORG01", iiko_id=f"dep-{n}")
        result.append(department)
        for i, amount in enumerate(daily_values(days, base=10_000 * n, seed=n, last=last, zero_days=zero_days)):
            rows.append(DailySales(department=department, day=first + timedelta(days=i), amount=amount, orders=10,
                                   currency="KZT", synced_at=timezone.now()))
    DailySales.objects.bulk_create(rows)
    return result


def payment_history(*, days: int = 150, last: date, project: str = "91G", direction: str = "payin") -> None:
    """Daily rollups of successful payments of one project and direction, in INR."""
    first = last - timedelta(days=days - 1)
    amounts = daily_values(days, base=500_000, seed=99, last=last)
    TransactionRollup.objects.bulk_create([
        TransactionRollup(span=Span.DAY, slot=datetime.combine(first + timedelta(days=i), time(), tzinfo=UTC),
                          source="vima", project=project, status="success", currency="INR", direction=direction,
                          count=int(amount / 1000), amount_e4=int(amount * 10_000), fee_e4=0)
        for i, amount in enumerate(amounts)
    ])
