"""Reads of the sales app."""

from datetime import date, timedelta

from django.db.models import Count

from sales.models import DailySales, Department


def iiko_departments():
    """Departments iiko lists (organizations excluded): those a synced day has a row for each."""
    return Department.objects.exclude(iiko_id=None).filter(kind=Department.Kind.DEPARTMENT)


def days_with_gaps(*, last: date, days: int) -> list[date]:
    """Days of the ``days`` up to ``last`` where some department iiko lists has no daily row (never synced,
    or synced before the department appeared), oldest first."""
    first = last - timedelta(days=days - 1)
    expected = iiko_departments().count()
    if expected == 0:
        return []
    counts = dict(DailySales.objects.filter(day__range=(first, last), department__in=iiko_departments())
                  .values_list("day").annotate(n=Count("id")).values_list("day", "n"))
    return [first + timedelta(days=i) for i in range(days) if counts.get(first + timedelta(days=i), 0) < expected]
