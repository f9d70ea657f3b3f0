"""The protocol a source implements to be synced: pages of raw records, and a normalizer."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class StreamPosition:
    """Where a stream stands: an opaque cursor (Vima's ids) and/or a window end (PayShack's dates)."""

    cursor: str = ""
    window_end: str = ""  # ISO 8601 UTC; strings keep this type plain and JSON-friendly

    def as_dict(self) -> dict:
        return {key: value for key, value in (("cursor", self.cursor), ("window_end", self.window_end)) if value}


@dataclass(frozen=True)
class Page:
    """Raw records of one provider page, and where the stream stands once they are stored."""

    records: list[dict]
    position: StreamPosition
    # Other streams this page also moves forward (committed with it), e.g. Vima's create cursor on a first run.
    also: dict[str, StreamPosition] = field(default_factory=dict)
    # How far in provider time the stream has got (creation time of the newest record), for progress.
    reached: datetime | None = None
    # Commit the batch after this page, however small: it ends a window whose progress must stick.
    commit_after: bool = False


BACKFILL_PREFIX = "backfill:"


def backfill_stream(first: date, last: date) -> str:
    """The stream name of a backfill over [first, last]: its own position, resumable (the runner's business)."""
    return f"{BACKFILL_PREFIX}{first.isoformat()}:{last.isoformat()}"


class Source(Protocol):
    """A provider as the sync runner sees it. Implementations do I/O and mapping; never write the database.

    ``streams`` runs in the writer's process and may read the database (which files are new, which days
    have gaps); ``pages``, ``backfill_pages``, ``normalize`` and ``close`` run in the reader process
    (``integrations.core.reader``), where a query is refused: what they need from the database is read
    by ``streams`` or when the source is built.
    """

    name: str  # its declaration's name: the ``source`` value of its rows
    # How it is read ("api", "portal"…), recorded on each run when the caller left the mode to the settings.
    # Optional.
    mode: str
    # Rows per committed batch, when the runner's default (``runner.BATCH_ROWS``) does not suit. Optional.
    batch_rows: int

    def streams(self, positions: dict[str, StreamPosition]) -> list[str]:
        """Which streams to read this run, in order, given where each stands."""

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        """Pages after ``position``, oldest first, until the provider has nothing newer (in the reader process)."""

    def backfill_pages(self, first: date, last: date, position: StreamPosition) -> Iterator[Page]:
        """Pages of records created in [first, last], after ``position`` (optional: sources without
        backfills leave it out)."""

    def normalize(self, raw: dict) -> Any:
        """One raw record → a row for its sink; raises NormalizationError (or ValueError) for a bad record."""

    def close(self) -> None:
        """Release connections."""
