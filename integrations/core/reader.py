"""Reading a stream ahead of the writer: fetch, parse, normalize and hash pages in a process of its own.

The runner's writer does only what must happen in its database transaction; everything before (HTTP,
JSON, the normalizer, ``data_hash``) is done in a forked reader process, which sends finished pages
through a bounded pipe. One Python process tops out near 10,000 records/s on the GIL; split in two,
reading and writing each get a core (bench/vima_sync.py). The reader only reads: every commit (rows
and stream position together) stays in the writer, so a crash of either side loses nothing and
duplicates nothing.

This is the one way pages are read ahead: every source's ``pages()`` and ``normalize()`` run in the
reader process, on its main thread (a browser client needs no thread of its own), and must not use the
database: what a source needs from it is read in ``streams()`` or when the source is built, in the writer.
The child is started with ``os.fork`` itself, not ``multiprocessing.Process``, which refuses to start
children from a daemon process such as a Celery prefork worker.
"""

import gc
import logging
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from multiprocessing import Pipe

from common.sources import declaration
from integrations.core.prefetch import prefetched
from integrations.core.source import Page, Source, StreamPosition
from integrations.services import QuarantineEntry

logger = logging.getLogger(__name__)

# What a normalizer raises for a record it cannot map; anything else is a bug and ends the run.
NORMALIZATION_ERRORS = (ValueError, LookupError, TypeError, ArithmeticError)


@dataclass
class ReadPage:
    """One provider page, normalized: rows for the write path, records for the quarantine, counts.

    ``position``, ``also``, ``reached`` and ``commit_after`` are the page's own (see ``Page``); ``stream``
    is the stream it belongs to.
    """

    position: StreamPosition
    rows: list  # what the sink's ``prepare`` returned
    bad: list[QuarantineEntry]
    fetched: int
    warnings: int
    also: dict[str, StreamPosition] = field(default_factory=dict)
    reached: datetime | None = None
    commit_after: bool = False
    stream: str = ""


def normalize_page(source: Source, page: Page, *, sink, record_id=None) -> ReadPage:
    """Normalize every record of ``page`` and prepare it for ``sink``; a record that fails either goes to
    ``bad`` with the reason (``record_id(raw)`` names it there)."""
    record_id = record_id or _record_id_of(source.name)
    rows, bad, warnings = [], [], 0
    for raw in page.records:
        try:
            row = source.normalize(raw)
            prepared = sink.prepare(row)
        except NORMALIZATION_ERRORS as exc:
            payload = raw if isinstance(raw, dict) else {"raw": raw}
            bad.append(QuarantineEntry(source.name, _named(record_id, raw), payload, f"{type(exc).__name__}: {exc}"))
            continue
        warnings += len(getattr(row, "warnings", ()))
        rows.append(prepared)
    return ReadPage(position=page.position, rows=rows, bad=bad, fetched=len(page.records), warnings=warnings,
                    also=page.also, reached=page.reached, commit_after=page.commit_after)


def read_pages(source: Source, streams: list[tuple[str, StreamPosition]], *, depth: int, sink=None,
               backfill: tuple[date, date] | None = None) -> Iterator[ReadPage]:
    """The pages of each ``(stream, position)`` in turn, after its position, prepared for ``sink`` (by default
    the source's declared one), produced up to ``depth`` pages ahead of the caller by one reader process for
    the whole run, so what a source learns reading one stream (a token, the departments) serves the next.
    With ``backfill``, the pages are the source's ``backfill_pages(first, last, position)``.

    Errors of the reading side (an ``UpstreamError`` after retries, a bug) are raised here, at the
    page where they happened. Stopping early (closing the iterator) stops the reading side.
    """
    sink = sink or declaration(source.name).sink
    record_id = _record_id_of(source.name)

    def pages() -> Iterator[tuple[str, Page]]:
        for stream, position in streams:
            read = source.backfill_pages(*backfill, position) if backfill else source.pages(stream, position)
            for page in read:
                yield stream, page

    def prepared(stream_and_page: tuple[str, Page]) -> ReadPage:
        stream, page = stream_and_page
        read = normalize_page(source, page, sink=sink, record_id=record_id)
        read.stream = stream
        return read

    return _from_process(_ReaderProcess.start(source, pages, prepared), depth=depth)


class _ReaderProcess:
    """The forked reader: its pid, the receiving end of its pipe, and its exit code once reaped.

    Reaped exactly once, under a lock: the writer's thread and its receiving thread both wait for it
    (the receiver on EOF, the writer when it stops), and a second ``waitpid`` would find no child.
    """

    def __init__(self, pid: int, receiving):
        self.pid, self.receiving, self.exitcode = pid, receiving, None
        self._reaping = threading.Lock()

    @classmethod
    def start(cls, source, pages, prepared) -> "_ReaderProcess":
        # A one-way pipe whose ends each side closes after the fork: the writer reads EOF if the reader
        # dies, and the reader gets a broken pipe if the writer does; neither waits forever.
        receiving, sending = Pipe(duplex=False)
        pid = os.fork()
        if pid == 0:
            _child(source, pages, prepared, sending, receiving)  # never returns
        sending.close()
        return cls(pid, receiving)

    def is_alive(self) -> bool:
        return not self._reap(os.WNOHANG)

    def terminate(self) -> None:
        if self.is_alive():
            os.kill(self.pid, signal.SIGTERM)

    def join(self) -> None:
        self._reap(0)

    def _reap(self, options: int) -> bool:
        """Reap the reader if it has ended (waiting for it unless ``os.WNOHANG``); True once it is reaped."""
        with self._reaping:
            if self.exitcode is None:
                reaped, status = os.waitpid(self.pid, options)
                if reaped:
                    self.exitcode = os.waitstatus_to_exitcode(status)
            return self.exitcode is not None


def _child(source, pages, prepared, sending, receiving) -> None:
    """The reader process from its first instruction: read, then leave through ``os._exit``, so nothing
    the parent owns (its database connection, cache clients, atexit hooks) is closed or flushed twice."""
    status = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a Celery worker's handler would outlive the fork
        receiving.close()
        _refuse_database()
        _let_go_of_database_sockets()
        _read_in_child(source, pages, prepared, sending)
    except BaseException:  # noqa: BLE001 — nothing may unwind into the parent's code in this process
        status = 1
    finally:
        os._exit(status)


def _refuse_database() -> None:
    """Make a query in the reader process fail with a reason: it would otherwise write to the socket of
    the writer's connection, which the fork shares."""
    from django.db import connections

    for connection in connections.all():
        connection.execute_wrappers.append(_no_database_here)


def _no_database_here(execute, sql, params, many, context):
    raise RuntimeError("a source used the database in the reader process, where pages() and normalize() run; "
                       "read what it needs in streams() or when the source is built")


def _read_in_child(source, pages, prepared, sending) -> None:
    """Send ("page", ReadPage)… then ("done", None) or ("error", exception).

    Sending blocks while the writer is a full ``depth`` ahead, which bounds what is read ahead.
    """
    try:
        for page in pages():
            sending.send(("page", prepared(page)))
            del page
            # httpx leaves every response in a reference cycle with its body; under the run's raised
            # threshold (runner.RUN_GC_YOUNG_THRESHOLD) a thousand pages of them piled up before a
            # collection came (160 MB at Vima's page size). Collected here, young, they cost next to nothing.
            gc.collect(0)
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
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 — any pickling failure: fall back to the text
        text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return RuntimeError(f"reader process: {text}")


def _from_process(process: _ReaderProcess, *, depth: int) -> Iterator[ReadPage]:
    # Received and unpickled in a thread: that work overlaps with the writer waiting on the database.
    received = prefetched(_received(process), depth=depth)
    try:
        for page in received:  # noqa: UP028 — ``yield from`` would close it before the reader is stopped
            yield page
    finally:
        process.terminate()  # stopped early (max_pages, an error in the writer): it only reads
        process.join()
        received.close()  # its thread reads EOF now that the reader is gone
        process.receiving.close()


def _received(process: _ReaderProcess) -> Iterator[ReadPage]:
    while True:
        try:
            kind, payload = process.receiving.recv()
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
