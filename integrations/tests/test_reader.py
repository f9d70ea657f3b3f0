"""Pages read and normalized ahead of the writer, in a reader process of their own."""

import json
import multiprocessing
import os
from contextlib import closing
from decimal import Decimal

import pytest

from integrations.core import reader
from integrations.core.errors import UpstreamError
from integrations.core.reader import read_pages
from integrations.core.source import Page, StreamPosition
from integrations.vima.normalizer import normalize_operation
from integrations.vima.sandbox import VimaSandbox
from transactions.writers.columns import STAGED_FIELDS, staged_values


class _Source:
    """Pages of Vima records rendered from the shared test world; ``fail_after`` pages, then ``error``."""

    name = "vima"

    def __init__(self, world, clock, *, fail_after=None, error=None, pages=5):
        self.sandbox, self.now = VimaSandbox(world, api_key="k", clock=clock, malformed=0.05), clock.now()
        self.fail_after, self.error, self.page_count = fail_after, error, pages

    def pages(self, stream, position):
        for number in range(self.page_count):
            if number == self.fail_after:
                raise self.error
            records = json.loads(json.dumps([self.sandbox.render(self.sandbox.world.payment(i), self.now)
                                             for i in range(number * 10, number * 10 + 10)]), parse_float=Decimal)
            yield Page(records=records, position=StreamPosition(cursor=str(number * 10 + 10)),
                       also={"pid": StreamPosition(cursor=str(os.getpid()))})

    def normalize(self, raw):
        return normalize_operation(raw)

    def close(self):
        pass


def _read_all(source):
    with closing(read_pages(source, [("update", StreamPosition())], depth=2)) as pages:
        return list(pages)


def test_pages_come_normalized_and_in_order_with_their_quarantine(world, clock):
    pages = _read_all(_Source(world, clock))
    assert [page.position.cursor for page in pages] == ["10", "20", "30", "40", "50"]
    assert {page.also["pid"].cursor != str(os.getpid()) for page in pages} == {True}
    assert sum(page.fetched for page in pages) == 50
    assert sum(len(page.rows) + len(page.bad) for page in pages) == 50
    bad = [entry for page in pages for entry in page.bad]
    assert bad and all(entry.error for entry in bad)  # the world's malformed records at 5%
    # Staged by the reader as the writer stores them: values, the raw record as JSON text, the hash.
    staged = pages[0].rows[0]
    raw = json.loads(staged[STAGED_FIELDS.index("raw_data")], parse_float=Decimal)
    assert staged == staged_values(normalize_operation(raw))
    assert staged[STAGED_FIELDS.index("data_hash")] == normalize_operation(raw).data_hash


def test_an_upstream_error_in_the_reader_process_reaches_the_writer_whole(world, clock):
    error = UpstreamError("vima answered HTTP 401 to GET /operation: invalid api key", status=401, permanent=True)
    source = _Source(world, clock, fail_after=2, error=error)
    with closing(read_pages(source, [("update", StreamPosition())], depth=2)) as pages:
        assert [next(pages).position.cursor, next(pages).position.cursor] == ["10", "20"]
        with pytest.raises(UpstreamError) as raised:
            next(pages)
    assert (raised.value.message, raised.value.status, raised.value.permanent) == (error.message, 401, True)


class _Unpicklable(Exception):
    def __init__(self, message, handle):
        super().__init__(message)
        self.handle = handle

    def __reduce__(self):
        raise TypeError("cannot pickle a handle")


def test_an_error_that_cannot_cross_processes_is_named_in_a_runtime_error(world, clock):
    source = _Source(world, clock, fail_after=0, error=_Unpicklable("socket gone", object()))
    with pytest.raises(RuntimeError, match="reader process: .*_Unpicklable: socket gone"):
        _read_all(source)


def test_a_reader_process_that_dies_is_reported(world, clock):
    source = _Source(world, clock, fail_after=1, error=SystemExit(3))
    source.pages = lambda stream, position: (os._exit(7) for _ in [1])  # dies without a word
    with pytest.raises(RuntimeError, match=r"the reader process died \(exit code 7\)"):
        _read_all(source)


def test_stopping_early_ends_the_reader_process(world, clock, monkeypatch):
    started = []
    real_start = reader._ReaderProcess.start
    monkeypatch.setattr(reader._ReaderProcess, "start", lambda *args: started.append(real_start(*args)) or started[-1])
    with closing(read_pages(_Source(world, clock, pages=50), [("update", StreamPosition())], depth=2)) as pages:
        next(pages)
    process = started[0]
    assert not process.is_alive() and process.exitcode is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(process.pid, os.WNOHANG)  # reaped: no zombie left behind


def _read_in_a_daemon(world, clock, sending):
    pages = _read_all(_Source(world, clock))
    sending.send((os.getpid(), {page.also["pid"].cursor for page in pages}))


def test_a_daemon_process_such_as_a_celery_prefork_worker_still_reads_in_a_child(world, clock):
    # A Celery prefork worker is a daemon process, which multiprocessing.Process refuses to give children;
    # here a real daemon process reads, as a worker's task would.
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    daemon = context.Process(target=_read_in_a_daemon, args=(world, clock, sending), daemon=True)
    daemon.start()
    assert receiving.poll(60)
    daemon_pid, reader_pids = receiving.recv()
    daemon.join()
    assert len(reader_pids) == 1 and reader_pids != {str(daemon_pid)}


def test_a_source_that_queries_the_database_in_the_reader_is_told_where_to_do_it(world, clock, db):
    from django.contrib.auth.models import User

    source = _Source(world, clock)
    source.pages = lambda stream, position: iter([User.objects.count()])
    with pytest.raises(RuntimeError, match=r"used the database in the reader process.*in streams\(\)"):
        _read_all(source)
    assert User.objects.count() >= 0  # the writer's own connection is untouched


def test_a_reader_whose_writer_has_gone_stops_instead_of_waiting(world, clock):
    receiving, sending = multiprocessing.Pipe(duplex=False)
    receiving.close()  # the writer died
    source = _Source(world, clock, pages=50)
    reader._read_in_child(source, lambda: source.pages("update", StreamPosition()), lambda page: page,
                          sending)  # returns, raises nothing


def test_one_reader_process_reads_every_stream_of_a_run_in_order(world, clock):
    # What a source learns in one stream (iiko: the departments; a token) serves the next: one process.
    source = _Source(world, clock, pages=2)
    plan = [("create", StreamPosition()), ("update", StreamPosition(cursor="5"))]
    with closing(read_pages(source, plan, depth=2)) as pages:
        read = list(pages)
    assert [(page.stream, page.position.cursor) for page in read] == [
        ("create", "10"), ("create", "20"), ("update", "10"), ("update", "20")]
    assert len({page.also["pid"].cursor for page in read}) == 1
