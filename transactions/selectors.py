"""Reads of the transactions app that other apps use."""

import uuid
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import Q, QuerySet

from transactions.models import ProjectMapping, Transaction
from transactions.slots import SLOT_ORIGIN
from transactions.writers.deltas import GroupTotals, totals_by_slot

# The columns ``search`` looks in; an exact match on each, so it stays an index lookup where there is one.
SEARCH_FIELDS = ("source_id", "order_id", "client_operation_id", "user_phone", "utr")


def transactions_matching(*, projects: frozenset[str] | None = None, source: str | None = None,
                          status: str | None = None, from_date: date | None = None, to_date: date | None = None,
                          search: str | None = None) -> QuerySet:
    """The transactions of ``projects`` (None: all) matching the list's filters (SPEC 8); the dates are
    UTC days, inclusive. Bounds are on the column itself (not created_at::date), so the (…, created_at)
    indexes serve them."""
    rows = Transaction.objects.all()
    for name, value in (("project__in", projects), ("source", source), ("status", status)):
        if value is not None:
            rows = rows.filter(**{name: value})
    if from_date is not None:
        rows = rows.filter(created_at__gte=utc_midnight(from_date))
    if to_date is not None:
        rows = rows.filter(created_at__lt=utc_midnight(to_date) + timedelta(days=1))
    if search and search.strip():
        rows = rows.filter(_search(search.strip()))
    return rows


def _search(value: str) -> Q:
    """An exact id, source id, order id, client operation id, email (any case), phone or UTR."""
    match = Q()
    for field in SEARCH_FIELDS:
        match |= Q(**{field: value})
    match |= Q(user_email__iexact=value) if "@" in value else Q()
    try:
        match |= Q(id=uuid.UUID(value))
    except ValueError:
        pass
    return match


def utc_midnight(day: date) -> datetime:
    """The start of ``day`` in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def project_mapping(source: str) -> dict[str, str]:
    """Provider client name → our project, for one source (the normalizers' reference data)."""
    return dict(ProjectMapping.objects.filter(source=source).values_list("provider_name", "project"))


def slot_totals(*, start: datetime, end: datetime, minutes: int = 15) -> list[GroupTotals]:
    """Totals per group and slot of ``minutes`` of the transactions created in [start, end), straight from
    the table.

    At 15 minutes, what the rollups must hold for that range (the rebuild command compares the two); finer
    slots serve the trends the rollups are too coarse for. ``start`` is on the slots' grid.
    """
    if connection.vendor == "postgresql":
        from transactions.writers.postgres import slot_totals_sql

        with connection.cursor() as cursor:
            cursor.execute(slot_totals_sql(minutes), {"start": start, "end": end, "origin": SLOT_ORIGIN})
            return cursor.fetchall()
    facts = Transaction.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "source", "project", "status", "currency", "direction", "created_at", "amount", "fee"
    )
    return totals_by_slot(facts.iterator(chunk_size=5_000), minutes)
