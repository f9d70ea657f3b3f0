"""Database strategies behind ``transactions_upsert``: one per vendor, one result type."""

from dataclasses import dataclass
from datetime import datetime

from transactions.signals import SlotDelta


@dataclass(frozen=True)
class WriteOutcome:
    """What one write did.

    ``deltas``: the change of totals per group and slot (old rows out, new rows in), zeros left out.
    ``touched``: (source, project, slot) of every row written, before and after; a rewrite that
    leaves every total alone (a corrected e-mail address, a new matching key) is still here.
    """

    inserted: int
    updated: int
    deltas: list[SlotDelta]
    touched: frozenset[tuple[str, str, datetime]]


def writer_for(vendor: str):
    """The write function for a database vendor: ``write(rows, *, now) -> WriteOutcome``."""
    if vendor == "postgresql":
        from transactions.writers.postgres import write
    elif vendor == "sqlite":
        from transactions.writers.sqlite import write
    else:
        raise NotImplementedError(f"no transaction writer for database vendor {vendor!r}")
    return write
