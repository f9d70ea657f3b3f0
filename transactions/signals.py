"""Signals of the transactions app. They carry facts about what changed; receivers decide what to do.

Two moments, two signals:

- ``transactions_written`` is sent *inside* the upsert's database transaction with the exact
  change of totals per slot. A receiver that keeps derived totals (rollups) writes them in the
  same transaction, so they commit or roll back with the rows; if it raises, nothing is written.
- ``transactions_changed`` is sent *after* the transaction commits, with a summary of what
  changed. Caches and follow-up work (reconciling a past date again) listen here; a failing
  receiver is logged and cannot undo the commit.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.dispatch import Signal


@dataclass(frozen=True)
class SlotDelta:
    """How one upsert changed the totals of one group of transactions.

    A group is the transactions of one source, project, status, currency and direction created in
    one 15-minute slot (``transactions.slots``). An insert adds to its group; an update that moves
    a row (another status, amount, project or time) subtracts it from the old group and adds it to
    the new one, so summing deltas keeps totals exact. ``count`` and the sums may be negative.
    """

    source: str
    project: str
    status: str
    currency: str
    direction: str
    slot: datetime
    count: int
    amount: Decimal
    fee: Decimal

    @property
    def group(self) -> tuple:
        return (self.source, self.project, self.status, self.currency, self.direction, self.slot)


@dataclass(frozen=True)
class TransactionsChanged:
    """What one committed upsert changed: sources and projects touched (before and after), the
    creation slots of the rows written (old and new), and how many rows were inserted and updated."""

    sources: frozenset[str]
    projects: frozenset[str]
    slots: frozenset[datetime]
    inserted: int
    updated: int


# Sent inside the upsert's transaction, with ``deltas=[SlotDelta, …]`` (none of them zero).
transactions_written = Signal()

# Sent once per upsert that inserted or updated rows, after its transaction commits, with
# ``change=TransactionsChanged(...)``. Cache namespaces and reconciliation listen.
transactions_changed = Signal()
