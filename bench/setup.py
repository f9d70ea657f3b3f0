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


def django_for_api_bench(*, name: str, database_url: str, redis_url: str) -> None:
    """Django as production serves the API, on a bench database and Redis of the bench's own (``name``)."""
    # Production settings where they change the request path: DEBUG off (no query log), TLS taken
    # as terminated in front of the app (no redirect of the in-process client's plain requests).
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", f"{name}-only")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    # One client making hundreds of calls a minute: throttling still runs, with room for the bench.
    os.environ.setdefault("API_THROTTLE_USER", "100000/minute")
    os.environ.setdefault("BENCH_DATABASE_URL", database_url)
    os.environ.setdefault("REDIS_URL", redis_url)
    os.environ.setdefault("CACHE_KEY_PREFIX", name)
    django_on_bench_database()


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


# Rows the yardstick's per-row ORM line inserts: enough for a stable rate, a second or two of work.
YARDSTICK_ROWS = 2_000
# Round trips the yardstick's bare statement makes.
YARDSTICK_ROUND_TRIPS = 2_000


def yardstick() -> str:
    """A line that says how fast this machine is right now, to print beside a benchmark's figures.

    The machine's speed swings up to 3x from day to day: the same code measures differently. This
    measures, in the same run, things the product's code does not change: a bare ``SELECT 1`` round trip,
    Django's per-row ORM insert (one ``create`` per row, in one transaction, rolled back), and the load
    average. A figure that moved with the yardstick moved with the day; one that moved against it is
    the code's.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from common.models import Heartbeat

    now = timezone.now()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for _ in range(YARDSTICK_ROUND_TRIPS):
            cursor.execute("SELECT 1")
        select_us = (time.perf_counter() - started) * 1e6 / YARDSTICK_ROUND_TRIPS
    started = time.perf_counter()
    with transaction.atomic():
        for number in range(YARDSTICK_ROWS):
            Heartbeat.objects.create(name=f"yardstick {number}", last_seen_at=now)
        orm_rate = YARDSTICK_ROWS / (time.perf_counter() - started)
        transaction.set_rollback(True)
    return f"yardstick: SELECT 1 {select_us:,.0f} µs; per-row ORM insert {orm_rate:,.0f} rows/s; {cpu_yardstick()}"


# Encodings the pure-Python yardstick makes: about a tenth of a second of one core.
CPU_YARDSTICK_RECORDS = 20_000


def cpu_yardstick() -> str:
    """The machine's pure-Python speed now (``json.dumps`` of a fixed record, which no project code changes)
    and the load average: for benchmarks that use no database, and as part of ``yardstick()``."""
    import json

    record = {"id": "1067250934146775040", "amount": "1234.56000000", "status": "success", "items": list(range(20))}
    started = time.perf_counter()
    for _ in range(CPU_YARDSTICK_RECORDS):
        json.dumps(record)
    rate = CPU_YARDSTICK_RECORDS / (time.perf_counter() - started)
    load = os.getloadavg()
    return (f"json.dumps {rate:,.0f} records/s; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"(1, 5, 15 min) on {os.cpu_count()} cores")


def process_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` of this machine has used so far; None where unknown."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # the name may hold spaces
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in clock ticks


def sync_helper_pids(sandbox_name: str) -> dict[str, int]:
    """The processes a sync bench's figures depend on besides its own: the sandbox serving the pages (a child
    of this process named ``sandbox_name``) and the PostgreSQL backend of this process's connection (local)."""
    from django.db import connection

    pids = {child.name: child.pid for child in multiprocessing.active_children() if child.name == sandbox_name}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pids["PostgreSQL backend"] = cursor.fetchone()[0]
    return pids


def cpu_per_operation(cpu_s: dict[str, float | None], operations: int) -> str:
    """Every process's CPU per operation and their sum: what a sync costs the machine, which moves far less
    with the load than operations/s do (a 2-core machine's throughput is about 2 cores / the sum)."""
    known = {name: seconds for name, seconds in cpu_s.items() if seconds is not None}
    parts = " + ".join(f"{name} {seconds * 1e6 / max(operations, 1):,.0f}" for name, seconds in known.items())
    total = sum(known.values()) * 1e6 / max(operations, 1)
    unknown = "".join(f" ({name}: not measurable here)" for name, seconds in cpu_s.items() if seconds is None)
    return f"CPU per operation, every process: {parts} = {total:,.0f} µs{unknown}"
