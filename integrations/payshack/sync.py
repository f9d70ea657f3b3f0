"""PayShack as a sync Source (SPEC 5.2 and 6): pay-ins and pay-outs read in windows of IST days.

PayShack has no change cursor, and statuses change late, so each run re-reads from a look-back
before where the stream stood, one IST day at a time, up to today. A window's last page is
committed together with the window's end (``Page.commit_after``), so a failure resumes at the
first unfinished window and never loses a finished one. The pages come from a fetcher: the JSON
API (``ApiFetcher``) or the web portal in a real browser (``portal.PortalFetcher``).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from integrations.core.source import Page, StreamPosition
from integrations.payshack.client import PAGE_SIZE, PayShackClient
from integrations.payshack.normalizer import IST, normalize_transaction
from transactions.rows import NormalizedTransaction

KINDS = ("payin", "payout")


class Fetcher(Protocol):
    """Raw records of one kind created on one IST day, page by page."""

    def day_pages(self, kind: str, day: date) -> Iterator[list[dict]]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class WindowPolicy:
    lookback: timedelta = timedelta(days=1)  # statuses change late: re-read this much before the position
    initial_days: int = 30  # a fresh install starts this many days back


class ApiFetcher:
    """Pages from PayShack's JSON API."""

    def __init__(self, client: PayShackClient, page_size: int = PAGE_SIZE):
        self.client, self.page_size = client, page_size

    def day_pages(self, kind: str, day: date) -> Iterator[list[dict]]:
        page = 1
        while True:
            data = self.client.transactions(kind, page=page, day_from=day, day_to=day, limit=self.page_size)
            if data["transactions"]:
                yield data["transactions"]
            if page >= data["totalPages"]:
                return
            page += 1

    def close(self) -> None:
        self.client.close()


class PayShackSource:
    """Reads PayShack through ``fetcher``; normalizes with the pure PayShack normalizer."""

    name = "payshack"

    def __init__(self, fetcher: Fetcher, *, context: dict, now: datetime, policy: WindowPolicy = WindowPolicy(),
                 mode: str = "api"):
        self.fetcher, self.context, self.now, self.policy, self.mode = fetcher, context, now, policy, mode

    def streams(self, positions: dict[str, StreamPosition]) -> list[str]:
        return list(KINDS)

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        reached = _parse(position.window_end)
        for day in self._days(reached):
            yield from self._window(stream, day, position_before=reached)
            reached = self._advance(reached, day)

    def _days(self, reached: datetime | None) -> list[date]:
        today = self.now.astimezone(IST).date()
        if reached is None:
            first = today - timedelta(days=self.policy.initial_days)
        else:
            first = (reached - self.policy.lookback).astimezone(IST).date()
        return [first + timedelta(days=n) for n in range((today - first).days + 1)]

    def _window(self, kind: str, day: date, *, position_before: datetime | None) -> Iterator[Page]:
        """The pages of one IST day; the last one carries the day's end as the new position."""
        before = StreamPosition(window_end=position_before.isoformat() if position_before else "")
        start = _day_start(day)
        previous = None
        for records in self.fetcher.day_pages(kind, day):
            if previous is not None:
                yield Page(records=previous, position=before, reached=start)
            previous = records
        end = self._advance(position_before, day)
        yield Page(records=previous or [], position=StreamPosition(window_end=end.isoformat()), reached=start,
                   commit_after=True)

    def _advance(self, reached: datetime | None, day: date) -> datetime:
        """The position once ``day`` is read: its end (no later than now), never behind ``reached``."""
        end = min(self._window_end(day), self.now)
        return max(end, reached) if reached else end

    def backfill_pages(self, first: date, last: date, position: StreamPosition) -> Iterator[Page]:
        """Both kinds, one IST day after the other; a day is done once its last kind is."""
        done = _parse(position.window_end)
        if done is not None:
            first = max(first, done.astimezone(IST).date())
        day = first
        while day <= last:
            for kind in KINDS:
                for page in self._window(kind, day, position_before=done):
                    if kind != KINDS[-1]:  # the day is done only when its last kind is
                        page = Page(records=page.records, position=StreamPosition(
                            window_end=done.isoformat() if done else ""), reached=page.reached,
                            commit_after=page.commit_after)
                    yield page
            done = self._advance(done, day)
            day += timedelta(days=1)

    @staticmethod
    def _window_end(day: date) -> datetime:
        return _day_start(day + timedelta(days=1))

    def normalize(self, raw: dict) -> NormalizedTransaction:
        return normalize_transaction(raw, self.context)

    def close(self) -> None:
        self.fetcher.close()


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=IST).astimezone(UTC)


def _parse(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
