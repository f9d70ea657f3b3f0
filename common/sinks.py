"""The sink interface: where the sync runner writes what a source's normalizer produced.

A sink stores rows of one kind (transactions, sales, credit-portfolio operations). The runner owns
everything around it (the job lock, batching, the database transaction a batch commits in together
with the stream position, quarantine, backfill streams, ``SyncRun`` counts); a sink only checks a
row and writes a batch. Each source's declaration (``common.sources.SourceDeclaration``) names its sink.

Example, a sink of a sales app::

    from common.sinks import SinkResult

    class SalesSink:
        name = "sales"

        def prepare(self, row: SaleRow) -> SaleRow:
            # Runs ahead of the writer (in the reader thread or process): validate, precompute.
            problems = sale_problems(row)
            if problems:
                raise ValueError("; ".join(problems))  # the record goes to the quarantine
            return row

        def write(self, rows: list[SaleRow]) -> SinkResult:
            # Called inside the runner's transaction; must not commit by itself.
            inserted, updated = sales_upsert(rows=rows)
            return SinkResult(inserted, updated, len(rows) - inserted - updated)

    SALES_SINK = SalesSink()   # named by the declarations: SourceDeclaration(..., sink=SALES_SINK)
"""

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SinkResult:
    """What one write did with each row it was given: inserted + updated + unchanged == rows given."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: "SinkResult") -> "SinkResult":
        return SinkResult(self.inserted + other.inserted, self.updated + other.updated,
                          self.unchanged + other.unchanged)

    @property
    def written(self) -> int:
        """Rows the sink stored or changed."""
        return self.inserted + self.updated


class Sink(Protocol):
    """Stores normalized rows of one kind. ``name`` is recorded on every ``SyncRun`` that wrote to it."""

    name: str

    def prepare(self, row: Any) -> Any:
        """Check one normalized row and precompute what the write needs; raise ``ValueError`` naming the
        problem for a row that cannot be stored (the runner quarantines its raw record). Pure: no database."""

    def write(self, rows: list[Any]) -> SinkResult:
        """Store a batch of prepared rows inside the caller's transaction (never commit); rows of the same
        key: the last one wins. Send this kind's own "changed" signal on commit (``transaction.on_commit``)."""
