"""iiko as a sync Source: the corporation's departments, then whole days of sales.

Streams: ``departments`` (the corporation list, one page) and ``sales`` (one page per day asked for).
A day's page holds every order that *closed* that day: the report is filtered by open date, so the
day before is asked for too (an order opened at 23:30 closes after midnight, on the next day), and
orders closing on another day are left to that day's page. The page opens with a ``SalesDay`` header
so the sink replaces exactly that day. The corporation list is read on every run, in ``streams()`` (in the
writer, before the reader processes are forked, so each stream's reader has it): the orders' departments are
known (an unknown one is quarantined, not dropped in silence), and the token it logged in with is reused.
"""

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from integrations.core.source import Page, StreamPosition
from integrations.iiko.client import IikoClient, IikoSettings, TokenStore
from integrations.iiko.normalizer import DAY_HEADER, normalize

DEPARTMENTS, SALES = "departments", "sales"
# Orders are assumed to close within a day of opening: a day's orders are those opened that day or the one before.
OPEN_DAYS_BEFORE_CLOSE = 1


class IikoSource:
    name = "iiko"

    def __init__(self, settings: IikoSettings, *, days: Sequence[date] = (), tokens: TokenStore | None = None):
        self.client = IikoClient(settings, tokens)
        self.days = sorted(set(days))
        self._items: list[dict] | None = None
        self._codes_by_id: dict[str, str] = {}
        self._known: frozenset[str] = frozenset()

    def streams(self, positions) -> list[str]:
        self._corporation()
        return [DEPARTMENTS, SALES] if self.days else [DEPARTMENTS]

    def _corporation(self) -> list[dict]:
        if self._items is None:
            self._items = self.client.departments()
            self._codes_by_id = {item.get("id", ""): item.get("code", "") for item in self._items if item.get("id")}
            self._known = frozenset(self._codes_by_id)
        return self._items

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        if stream == DEPARTMENTS:
            yield Page(records=self._corporation(), position=StreamPosition(window_end=timezone.now().isoformat()),
                       commit_after=True)
            return
        for day in self.days:
            yield Page(records=[{DAY_HEADER: day.isoformat()}, *self.orders_closed(day)], position=_at(day),
                       commit_after=True)

    def orders_closed(self, day: date) -> list[dict]:
        """The report's rows of orders that closed on ``day`` (and rows whose close time cannot be read,
        so that the normalizer quarantines them rather than they vanish)."""
        rows = self.client.sales(day - timedelta(days=OPEN_DAYS_BEFORE_CLOSE), day + timedelta(days=1))
        wanted = day.isoformat()
        return [row for row in rows if _close_day(row) in (wanted, None)]

    def normalize(self, raw: dict):
        return normalize(raw, codes_by_id=self._codes_by_id, known_ids=self._known)

    def close(self) -> None:
        self.client.close()


def _close_day(row: dict) -> str | None:
    """The close time's day as YYYY-MM-DD, or None if it is not a date."""
    try:
        return datetime.fromisoformat(str(row.get("CloseTime"))).date().isoformat()
    except ValueError:
        return None


def _at(day: date) -> StreamPosition:
    return StreamPosition(window_end=datetime(day.year, day.month, day.day).isoformat() + "+00:00")
