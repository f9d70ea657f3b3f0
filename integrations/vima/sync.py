"""Vima as a sync Source (SPEC 5.1 and 6): two cursor streams over the collector API.

- ``update``: records after ``operation_update_id``. Every creation is also an update, so the very
  first run reads only this stream from 0: it sees every record once, in its current state.
- ``create``: records after ``operation_create_id``, for the runs after that.

Both are read ascending, in pages of 100; the runner commits each batch with the cursor of its
last page, so a crash loses nothing and a rerun duplicates nothing.
"""

from collections.abc import Iterator
from datetime import date, datetime

from integrations.core.source import Page, StreamPosition
from integrations.vima.client import PAGE_SIZE, VimaClient, VimaSettings
from integrations.vima.normalizer import normalize_operation
from transactions.rows import NormalizedTransaction

CREATE, UPDATE = "create", "update"
_CURSOR_FIELD = {CREATE: ("from_operation_create_id", "operation_create_id"),
                 UPDATE: ("from_operation_update_id", "operation_update_id")}


class VimaSource:
    """Reads Vima's two streams with a VimaClient; normalizes with the pure Vima normalizer."""

    name = "vima"
    mode = "api"  # its one way of being read (what sync runs and /sync/status record)

    def __init__(self, settings: VimaSettings, *, page_size: int = PAGE_SIZE):
        self.client = VimaClient(settings)
        self.page_size = page_size
        self._seeding_create = False

    def streams(self, positions: dict[str, StreamPosition]) -> list[str]:
        # On a first run (no create cursor yet) the update stream from 0 holds every record, and the
        # create cursor follows the largest create id it has seen: every record below that id is
        # either already read or still ahead in the update stream, so nothing is skipped even if
        # the run stops half way.
        self._seeding_create = not positions.get(CREATE, StreamPosition()).cursor
        return [UPDATE] if self._seeding_create else [CREATE, UPDATE]

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        param, field = _CURSOR_FIELD[stream]
        cursor, create_seen = int(position.cursor or 0), 0
        while True:
            records = self.client.operations(**{param: cursor, "count": self.page_size, "descending": "false"})
            if not records:
                return
            cursor = max(cursor, *(_cursor_of(record, field, cursor) for record in records))
            also = {}
            if stream == UPDATE and self._seeding_create:
                create_seen = max(create_seen, *(_cursor_of(r, "operation_create_id", 0) for r in records))
                also = {CREATE: StreamPosition(cursor=str(create_seen))} if create_seen else {}
            yield Page(records=records, position=StreamPosition(cursor=str(cursor)), also=also)
            if len(records) < self.page_size:
                return

    def backfill_pages(self, first: date, last: date, position: StreamPosition) -> Iterator[Page]:
        """Records created in [first, last], by create id, ascending."""
        cursor = int(position.cursor or 0)
        while True:
            records = self.client.operations(
                **{"from": first.isoformat(), "to": last.isoformat(), "from_operation_create_id": cursor,
                   "count": self.page_size, "descending": "false"}
            )
            if not records:
                return
            cursor = max(cursor, *(_cursor_of(record, "operation_create_id", cursor) for record in records))
            yield Page(records=records, position=StreamPosition(cursor=str(cursor)), reached=_created_at(records[-1]))
            if len(records) < self.page_size:
                return

    def normalize(self, raw: dict) -> NormalizedTransaction:
        return normalize_operation(raw)

    def close(self) -> None:
        self.client.close()


def _cursor_of(record, field: str, fallback: int) -> int:
    """The record's cursor value; a malformed record without one must not stop the stream."""
    try:
        return int(record[field])
    except (KeyError, TypeError, ValueError):
        return fallback


def _created_at(record) -> datetime | None:
    try:
        return datetime.fromisoformat(record["operation_created_at"].replace("Z", "+00:00"))
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
