"""Shared set-up for benchmarks: a PostgreSQL database of its own, migrated, and a timer."""

import multiprocessing
import os
import resource
import time
from contextlib import contextmanager

DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"


def django_on_bench_database() -> None:
    """Point Django at BENCH_DATABASE_URL (created if missing), migrate it, and set Django up."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_BENCH_DATABASE_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "true")
    _create_database_if_missing(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _create_database_if_missing(url: str) -> None:
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    if not config["ENGINE"].endswith("postgresql"):
        raise SystemExit(f"benchmarks run on PostgreSQL; BENCH_DATABASE_URL is {url}")
    admin = psycopg.connect(
        host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
        password=config["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def yardstick(samples: int = 200) -> str:
    """What the machine gives right now, printed beside a benchmark's figures so that a reader can tell the
    code from the day: the median round trip of a bare ``SELECT 1`` and the load average (1, 5, 15 min)."""
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for _ in range(samples):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    median = timings[len(timings) // 2]
    return f"yardstick: SELECT 1 round trip median {median:.3f} ms; load average {load} (1, 5, 15 min)"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stopwatch():
    """``with stopwatch() as elapsed: …`` then ``elapsed()`` gives seconds; accumulates across uses."""
    total = [0.0]
    started = [0.0]

    def elapsed():
        return total[0]

    started[0] = time.perf_counter()
    try:
        yield elapsed
    finally:
        total[0] += time.perf_counter() - started[0]


START_TIMEOUT_S = 120


@contextmanager
def serving_process(serve, *args, name: str):
    """Run ``serve(*args, conn)`` in a spawned process; yield what it sends on ``conn`` once ready.

    A sandbox in a process of its own keeps its GIL away from the client being measured.
    """
    context = multiprocessing.get_context("spawn")  # a clean child: no inherited threads or DB connections
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=serve, args=(*args, sender), name=name, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(START_TIMEOUT_S):
            raise SystemExit(f"the {name} did not start within {START_TIMEOUT_S} s")
        try:
            ready = receiver.recv()
        except EOFError:
            raise SystemExit(f"the {name} process exited before it was ready (see its traceback above)") from None
        yield ready
    finally:
        process.terminate()
        process.join()
