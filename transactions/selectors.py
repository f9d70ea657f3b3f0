"""Reads of the transactions app that other apps use."""

from datetime import datetime

from django.db import connection

from transactions.models import ProjectMapping, Transaction
from transactions.slots import SLOT_ORIGIN
from transactions.writers.deltas import GroupTotals, totals_by_slot


def project_mapping(source: str) -> dict[str, str]:
    """Provider client name → our project, for one source (the normalizers' reference data)."""
    return dict(ProjectMapping.objects.filter(source=source).values_list("provider_name", "project"))


def slot_totals(*, start: datetime, end: datetime) -> list[GroupTotals]:
    """Totals per group and slot of the transactions created in [start, end), straight from the table.

    What the rollups must hold for that range; the rebuild command compares the two.
    """
    if connection.vendor == "postgresql":
        from transactions.writers.postgres import slot_totals_sql

        with connection.cursor() as cursor:
            cursor.execute(slot_totals_sql(), {"start": start, "end": end, "origin": SLOT_ORIGIN})
            return cursor.fetchall()
    facts = Transaction.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "source", "project", "status", "currency", "direction", "created_at", "amount", "fee"
    )
    return totals_by_slot(facts.iterator(chunk_size=5_000))
