"""Signals of the transactions app. They carry facts about what changed; receivers decide what to do."""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal


@dataclass(frozen=True)
class TransactionsChanged:
    """What one committed upsert changed: which sources and projects, over which creation times."""

    sources: frozenset[str]
    projects: frozenset[str]
    created_from: datetime
    created_to: datetime
    inserted: int
    updated: int


# Sent once per upsert that inserted or updated rows, after its transaction commits, with
# ``change=TransactionsChanged(...)``. Rollups, cache namespaces and reconciliation listen.
transactions_changed = Signal()
