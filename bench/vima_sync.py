"""End-to-end throughput of a first Vima sync on PostgreSQL: sandbox → client → normalizer → write path.

    python -m bench.vima_sync --size 1000000

Empties the transactions and the sync bookkeeping tables (runs, states, quarantine, leases) of the
bench database, starts the Vima sandbox of ``bench.vima_sandbox`` in a process of its own over
--size payments (all in the past), then runs ``sync_run(source=VimaSource(settings), trigger="command")``
in this process and prints operations/s end to end, the run's counts, the transactions stored
(checked against the run's inserted count), the CPU time of the writer (this process) and of its
reader process (fetch, parse, normalize; see integrations/core/reader.py), the CPU per operation of
every process the sync keeps busy (writer, reader, the sandbox, the writer's PostgreSQL backend: on 2
cores, throughput is about 2 cores / their sum, a figure that moves far less with the load than
operations/s), and peak memory of both.
Targets: ≥ 8,000 operations/s, peak memory < 500 MB (the two processes of the sync together).
"""

import argparse
import gc
import resource
import time

from bench.setup import (
    cpu_per_operation,
    django_on_bench_database,
    peak_rss_mb,
    process_cpu_s,
    sync_helper_pids,
    yardstick,
)
from bench.vima_sandbox import API_KEY, sandbox_process


def empty_tables() -> None:
    from django.db import connection

    from common.models import Lease
    from integrations.models import QuarantinedRecord, SyncRun, SyncState
    from transactions.models import Transaction

    tables = ", ".join(model._meta.db_table for model in (Transaction, QuarantinedRecord, SyncRun, SyncState, Lease))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")  # with what hangs off runs: evidence, snapshots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="payments in the world")
    args = parser.parse_args()
    django_on_bench_database()
    print(yardstick())
    empty_tables()
    from integrations.core.runner import sync_run
    from integrations.vima.client import VimaSettings
    from integrations.vima.sync import VimaSource
    from transactions.models import Transaction

    with sandbox_process(args.size) as (base_url, index_s):
        print(f"vima sync on PostgreSQL: {args.size:,} payments, sandbox in a separate process "
              f"(change index built in {index_s:.1f} s)")
        gc_s = _time_garbage_collection()
        commit_s = _time_commits()
        others = sync_helper_pids("vima-sandbox")
        others_cpu = {name: process_cpu_s(pid) for name, pid in others.items()}
        started, cpu = time.perf_counter(), _cpu_s()
        run = sync_run(source=VimaSource(VimaSettings(base_url=base_url, api_key=API_KEY)), trigger="command")
        elapsed = time.perf_counter() - started
        writer_s, reader_s = (after - before for after, before in zip(_cpu_s(), cpu, strict=True))
        others_cpu = {name: _since(process_cpu_s(pid), others_cpu[name]) for name, pid in others.items()}
        reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the sandbox is not reaped yet
    stored = Transaction.objects.filter(source="vima").count()
    print(f"run {run.status} in {elapsed:.1f} s{': ' + run.error if run.error else ''}")
    print(f"operations/s end to end: {run.fetched / elapsed:,.0f}  (target >= 8,000)")
    print(f"pages={run.pages:,} fetched={run.fetched:,} inserted={run.inserted:,} updated={run.updated:,} "
          f"unchanged={run.unchanged:,} quarantined={run.quarantined:,}")
    print(f"transactions stored: {stored:,}" + ("" if stored == run.inserted else f"  MISMATCH with inserted "
                                                  f"{run.inserted:,} (difference {stored - run.inserted:+,})"))
    print(f"CPU: writer {writer_s:,.1f} s ({writer_s / elapsed:.0%} of a core), reader process {reader_s:,.1f} s "
          f"({reader_s / elapsed:.0%}); {writer_s * 1e6 / max(run.fetched, 1):,.0f} + "
          f"{reader_s * 1e6 / max(run.fetched, 1):,.0f} µs per operation")
    print(cpu_per_operation({"writer": writer_s, "reader": reader_s, **others_cpu}, run.fetched))
    print(f"writer: {commit_s[0]:,.1f} s of {elapsed:,.1f} s in {commit_s[1]:,} batch commits "
          f"({commit_s[0] * 1e6 / max(run.fetched, 1):,.0f} µs per operation), the rest waiting for pages")
    print(f"writer's garbage collection: {gc_s[0]:,.1f} s in {gc_s[1]:,} collections ({gc_s[2]:,} full)")
    print(f"peak memory: writer {peak_rss_mb():,.0f} MB + reader process {reader_mb:,.0f} MB "
          f"= {peak_rss_mb() + reader_mb:,.0f} MB  (target < 500 MB)")


def _time_commits() -> list:
    """[seconds, batches] spent in the runner's batch commits (upsert, quarantine, cursor) from now on."""
    from integrations.core import runner

    totals, commit = [0.0, 0], runner._commit_batch

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return commit(*args, **kwargs)
        finally:
            totals[0] += time.perf_counter() - started
            totals[1] += 1

    runner._commit_batch = timed
    return totals


def _time_garbage_collection() -> list:
    """[seconds, collections, full collections] of this process from now on, kept up to date by gc."""
    totals, started = [0.0, 0, 0], [0.0]

    def callback(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
            return
        totals[0] += time.perf_counter() - started[0]
        totals[1] += 1
        totals[2] += info["generation"] == 2

    gc.callbacks.append(callback)
    return totals


def _since(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _cpu_s() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its finished child processes (the readers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
