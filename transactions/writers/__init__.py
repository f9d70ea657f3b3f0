"""Database strategies behind ``transactions_upsert``: one per vendor, one result type."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TouchedGroup:
    """Rows written for one (source, project), with the span of their creation times."""

    source: str
    project: str
    created_from: datetime
    created_to: datetime


@dataclass(frozen=True)
class WriteOutcome:
    inserted: int
    updated: int
    touched: list[TouchedGroup]


def writer_for(vendor: str):
    """The write function for a database vendor: ``write(rows, *, now) -> WriteOutcome``."""
    if vendor == "postgresql":
        from transactions.writers.postgres import write
    elif vendor == "sqlite":
        from transactions.writers.sqlite import write
    else:
        raise NotImplementedError(f"no transaction writer for database vendor {vendor!r}")
    return write
