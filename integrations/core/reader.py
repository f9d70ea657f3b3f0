"""Reading a stream ahead of the writer: fetch, parse, normalize and hash pages, then hand them over.

The runner's writer does only what must happen in its database transaction; everything before
(HTTP, JSON, the normalizer, ``data_hash``) is done here, ahead of it. Two ways:

- **In a process of its own** (sources that say ``read_in_process = True``): a forked child reads
  and normalizes, and sends finished pages through a bounded queue. One Python process tops out
  near 10,000 records/s on the GIL; split in two, fetching and writing each get a core. The child
  only reads: every commit (rows and stream position together) stays in the writer, so a crash of
  either side loses nothing and duplicates nothing.
- **In a thread** (every other source, or where a child process cannot be started, such as a Celery
  prefork worker, whose processes are daemons): the same pages, the same order, one GIL.
"""

import logging
import multiprocessing
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from common.sources import declaration
from integrations.core.prefetch import prefetched
from integrations.core.source import Page, Source, StreamPosition
from integrations.services import QuarantineEntry

logger = logging.getLogger(__name__)

# What a normalizer raises for a record it cannot map; anything else is a bug and ends the run.
NORMALIZATION_ERRORS = (ValueError, LookupError, TypeError, ArithmeticError)
# Pages the reader process fetches ahead of its own normalizing: the provider prepares the next page
# while this one is normalized, instead of each waiting for the other.
FETCH_AHEAD_PAGES = 2


@dataclass
class ReadPage:
    """One provider page, normalized: rows for the write path, records for the quarantine, counts.

    ``position``, ``also``, ``reached`` and ``commit_after`` are the page's own (see ``Page``).
    """

    position: StreamPosition
    rows: list  # what the sink's ``prepare`` returned
    bad: list[QuarantineEntry]
    fetched: int
    warnings: int
    also: dict[str, StreamPosition] = field(default_factory=dict)
    reached: datetime | None = None
    commit_after: bool = False


def normalize_page(source: Source, page: Page, *, sink, record_id=None) -> ReadPage:
    """Normalize every record of ``page`` and prepare it for ``sink``; a record that fails either goes to
    ``bad`` with the reason (``record_id(raw)`` names it there)."""
    record_id = record_id or _record_id_of(source.name)
    rows, bad, warnings = [], [], 0
    for raw in page.records:
        try:
            row = sink.prepare(source.normalize(raw))
        except NORMALIZATION_ERRORS as exc:
            payload = raw if isinstance(raw, dict) else {"raw": raw}
            bad.append(QuarantineEntry(source.name, _named(record_id, raw), payload, f"{type(exc).__name__}: {exc}"))
            continue
        warnings += len(getattr(row, "warnings", ()))
        rows.append(row)
    return ReadPage(position=page.position, rows=rows, bad=bad, fetched=len(page.records), warnings=warnings,
                    also=page.also, reached=page.reached, commit_after=page.commit_after)


def read_pages(source: Source, stream: str, position: StreamPosition, *, depth: int, sink=None,
               backfill: tuple[date, date] | None = None) -> Iterator[ReadPage]:
    """``stream``'s pages after ``position``, prepared for ``sink`` (by default the source's declared one),
    produced up to ``depth`` pages ahead of the caller. With ``backfill``, the pages are the source's
    ``backfill_pages(first, last, position)``.

    Errors of the reading side (an ``UpstreamError`` after retries, a bug) are raised here, at the
    page where they happened. Stopping early (closing the iterator) stops the reading side.
    """
    sink = sink or declaration(source.name).sink
    record_id = _record_id_of(source.name)

    def pages() -> Iterator[Page]:
        if backfill:
            return source.backfill_pages(*backfill, position)
        return source.pages(stream, position)

    def prepared(page: Page) -> ReadPage:
        return normalize_page(source, page, sink=sink, record_id=record_id)

    if getattr(source, "read_in_process", False):
        started = _start_reader_process(source, pages, prepared)
        if started is not None:
            return _from_process(*started, depth=depth)
    return prefetched((prepared(page) for page in pages()), depth=depth)


def _start_reader_process(source, pages, prepared):
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if multiprocessing.current_process().daemon:
        logger.info("%s: reading in a thread (a daemon process, such as a Celery prefork worker, "
                    "may not start a child)", source.name)
        return None
    # fork, not spawn: the child starts in a millisecond with the source as it is (settings, first-run
    # state) and needs nothing pickled but the pages it sends. It never touches the parent's database
    # connection or cache, and it leaves through os._exit, so nothing of them is closed or flushed twice.
    context = multiprocessing.get_context("fork")
    # A one-way pipe whose ends each side closes after the fork: the writer reads EOF if the reader
    # dies, and the reader gets a broken pipe if the writer does; neither waits forever.
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_read_in_child, args=(source, pages, prepared, sending, receiving),
                              name=f"{source.name}-reader", daemon=True)
    try:
        process.start()
    except (AssertionError, OSError) as exc:  # daemonic parents (asserted by multiprocessing), no resources
        logger.info("%s: reading in a thread, a reader process could not start: %s", source.name, exc)
        receiving.close()
        sending.close()
        return None
    sending.close()
    return process, receiving


def _read_in_child(source, pages, prepared, sending, receiving) -> None:
    """The reader process: send ("page", ReadPage)… then ("done", None) or ("error", exception).

    Sending blocks while the writer is a full ``depth`` ahead, which bounds what is read ahead.
    """
    receiving.close()
    _let_go_of_database_sockets()
    try:
        for page in prefetched(pages(), depth=FETCH_AHEAD_PAGES):
            sending.send(("page", prepared(page)))
        sending.send(("done", None))
    except (BrokenPipeError, ConnectionResetError):
        return  # the writer has gone: nobody to tell
    except BaseException as exc:  # noqa: BLE001 — handed to the writer, which raises it
        try:
            sending.send(("error", _portable(exc)))
        except OSError:
            return
    finally:
        source.close()


def _let_go_of_database_sockets() -> None:
    """Drop this child's copies of the writer's PostgreSQL sockets (inherited by the fork).

    The server ends a session, and releases its advisory locks (the sync's job lock), only when every
    copy of the socket is closed. A writer killed with ``kill -9`` would otherwise keep its lock for as
    long as this reader goes on (a slow page, retries) before it notices that nobody reads its pages.
    The descriptor is pointed at /dev/null rather than closed, so that its number is not reused for
    another file while the never-used connection object still names it; nothing is sent to the server.
    """
    from django.db import connections

    for alias in connections:
        wrapper = connections[alias]
        if wrapper.vendor != "postgresql" or wrapper.connection is None:
            continue
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            os.dup2(devnull, wrapper.connection.fileno())
        finally:
            os.close(devnull)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` itself if it survives pickling (an UpstreamError does), else a RuntimeError that names it."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 — any pickling failure: fall back to the text
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return RuntimeError(f"reader process: {text}")


def _from_process(process, receiving, *, depth: int) -> Iterator[ReadPage]:
    # Received and unpickled in a thread: that work overlaps with the writer waiting on the database.
    received = prefetched(_received(process, receiving), depth=depth)
    try:
        for page in received:  # noqa: UP028 — ``yield from`` would close it before the reader is stopped
            yield page
    finally:
        if process.is_alive():
            process.terminate()  # stopped early (max_pages, an error in the writer): it only reads
        process.join()
        received.close()  # its thread reads EOF now that the reader is gone
        receiving.close()


def _received(process, receiving) -> Iterator[ReadPage]:
    while True:
        try:
            kind, payload = receiving.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"the reader process died (exit code {process.exitcode})") from None
        if kind == "error":
            raise payload
        if kind == "done":
            return
        yield payload


def _record_id_of(name: str):
    try:
        return declaration(name).record_id
    except LookupError:
        return lambda raw: ""


def _named(record_id, raw) -> str:
    """The record's id for the quarantine; best effort: a malformed record may have none."""
    try:
        return str(record_id(raw) or "")
    except Exception:  # noqa: BLE001 — a record too broken to name is still quarantined
        return ""
