"""Latencies of the REST API on PostgreSQL over a large table, and the speed of a big CSV export.

    python -m bench.api --rows 10000000 [--days 90] [--repeat 30] [--reload] [--export-rows 1000000]

Loads --rows transactions spread over the --days days up to today (COPY, secondary indexes built
after the load, rollups rebuilt from the table by the real service, VACUUM ANALYZE), unless the
bench database already holds exactly that load (--reload forces it). Then, in this process through
Django's full stack (middleware, DRF, token auth, renderer) with Redis as the cache, it prints the
median and p95 of: metrics overview and 30-day daily trends, uncached (namespace bumped before
each call) and cached; the transaction list's page 1 and page 1,000 with filters. Last, a CSV
export of about --export-rows rows runs in a fresh process (the "serving process"), which reports
rows/s and its own peak memory.

Targets (2-core machine): overview and trends < 50 ms uncached and < 5 ms cached; page 1 < 30 ms,
page 1,000 < 50 ms; export >= 50,000 rows/s under 300 MB.
"""

import argparse
import multiprocessing
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from bench.setup import django_for_api_bench, peak_rss_mb, yardstick

DEFAULT_BENCH_API_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_api"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
PROJECTS = (("91game", "INR", 50), ("monetix", "EUR", 15), ("monetix", "USD", 15), ("caroussel", "USD", 10),
            ("caroussel", "KZT", 10))
STATUSES = (("success", 70), ("failed", 15), ("pending", 10), ("processing", 3), ("refunded", 2))


def _setup() -> None:
    django_for_api_bench(name="bench-api", database_url=DEFAULT_BENCH_API_DATABASE_URL, redis_url=DEFAULT_REDIS_URL)


# --- loading -------------------------------------------------------------------------------------

def _marker(rows: int, days: int) -> str:
    return f"bench.api rows={rows} days={days} until={datetime.now(UTC).date()}"


def load(rows: int, days: int, *, force: bool) -> None:
    """Fill the table (unless it already holds this load), then the rollups, then statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (what text)")
        cursor.execute("SELECT what FROM bench_marker")
        found = cursor.fetchone()
    if found and found[0] == _marker(rows, days) and not force:
        print(f"reusing the loaded table ({found[0]})")
        return
    started = time.perf_counter()
    _copy_rows(rows, days)
    print(f"loaded {rows:,} rows with COPY, indexes rebuilt, in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    _rebuild_rollups(days)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE transactions_transaction")
        cursor.execute("VACUUM ANALYZE analytics_transactionrollup")
        cursor.execute("DELETE FROM bench_marker")
        cursor.execute("INSERT INTO bench_marker VALUES (%s)", [_marker(rows, days)])
    print(f"rollups rebuilt and tables analyzed in {time.perf_counter() - started:.0f} s")


def _copy_rows(rows: int, days: int) -> None:
    from django.db import connection

    table = "transactions_transaction"
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE transactions_transaction, analytics_transactionrollup")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE "
                       "'%%UNIQUE%%'", [table])
        secondary = cursor.fetchall()
        for name, _ in secondary:  # built once after the load: far faster than maintained row by row
            cursor.execute(f'DROP INDEX "{name}"')
        columns = ("id", "source", "source_id", "reference_id", "client_operation_id", "order_id", "project",
                   "merchant_id", "amount", "currency", "fee", "status", "original_status", "direction", "user_id",
                   "user_email", "user_phone", "user_name", "country", "utr", "payment_method", "payment_product",
                   "created_at", "updated_at", "completed_at", "source_create_cursor", "source_update_cursor",
                   "raw_data", "data_hash", "ingested_at")
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for values in _generated(rows, days):
                copy.write_row(values)
        for _, definition in secondary:
            cursor.execute(definition)


def _generated(rows: int, days: int):
    from decimal import Decimal

    rng = random.Random(2026)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    step = (end - start) / rows
    projects = [entry for entry in PROJECTS for _ in range(entry[2])]
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    for i in range(rows):
        created = start + step * i
        source = "payshack" if i % 5 == 0 else "vima"
        project, currency, _ = projects[i % len(projects)] if source == "vima" else PROJECTS[0]
        status = statuses[rng.randrange(100)]
        amount = Decimal(rng.randrange(10_000, 5_000_000)).scaleb(-2)
        payer = rng.randrange(200_000)
        yield (uuid.UUID(int=rng.getrandbits(128), version=4), source, f"{source[0]}{i:09d}", f"ref-{i}",
               f"ord-{i}", f"ord-{i}" if source == "payshack" else "", project, "", amount, currency,
               amount / 100, status, status.upper(), "payout" if i % 7 == 0 else "payin", f"u{payer}",
               f"payer{payer}@mail.example", f"+91{9_000_000_000 + payer}", "Asha Rao", "IN",
               f"UTR{i:012d}" if status == "success" else "", "upi", "payin", created, created,
               created if status in ("success", "failed") else None, str(i), str(i), '{"bench": true}',
               f"{i:064x}", created)


def _rebuild_rollups(days: int) -> None:
    from analytics.services import rollups_rebuild

    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days + 1)
    for day in range(days + 2):
        rollups_rebuild(start=first + timedelta(days=day), end=first + timedelta(days=day + 1))


# --- measuring -----------------------------------------------------------------------------------

def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    user, _ = get_user_model().objects.get_or_create(username="bench-api", defaults={"is_superuser": True})
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def _timed(client, path: str, params: dict, *, repeat: int, before=None) -> list[float]:
    timings = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(path, params)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} {params} answered {response.status_code}: {response.content[:300]!r}")
    return timings


def _report(label: str, timings: list[float], target: float) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{label:52} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   (target < {target:g} ms)")


def _cache_round_trip(repeat: int) -> None:
    """The cache's bare GET round trip, what every cached answer pays once: beside ``yardstick()``'s database one."""
    from django.core.cache import cache

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        cache.get("bench:yardstick")
        timings.append((time.perf_counter() - started) * 1000)
    print(f"cache GET round trip median {statistics.median(timings):.3f} ms")


def _cached_hit_cost() -> None:
    """What ``common.cache.cached`` costs on a hit, alone (no HTTP stack): the cache's part of a cached answer."""
    from common.cache import cached

    cached("metrics", "bench:hit", ttl=300, compute=lambda: {"total": 1})
    timings = []
    for _ in range(CACHED_HIT_CALLS):
        started = time.perf_counter()
        cached("metrics", "bench:hit", ttl=300, compute=lambda: {"total": 1})
        timings.append((time.perf_counter() - started) * 1e6)
    ordered = sorted(timings)
    print(f"{'cached() hit, alone':52} median {statistics.median(ordered):7.0f} µs   "
          f"p95 {ordered[int(len(ordered) * 0.95) - 1]:7.0f} µs   ({CACHED_HIT_CALLS:,} calls)")


# Calls of the bare cache hit: enough for a stable median on a busy machine, a second or two.
CACHED_HIT_CALLS = 2_000


def measure_api(repeat: int) -> None:
    from analytics.cache_namespaces import METRICS
    from common.cache import namespace_bump

    _cache_round_trip(max(repeat, 100))
    _cached_hit_cost()
    client = _client()
    today = datetime.now(UTC).date()
    month = {"from_date": str(today - timedelta(days=29)), "to_date": str(today)}
    bump = lambda: namespace_bump(METRICS)  # noqa: E731 — every call then misses the cache

    for label, path, params in (("metrics overview, 30 days", "/api/v1/metrics/overview", month),
                                ("daily trends, 30 days", "/api/v1/metrics/trends", {**month, "granularity": "day"}),
                                ("daily trends, 30 days, Asia/Kolkata", "/api/v1/metrics/trends",
                                 {**month, "granularity": "day", "timezone": "Asia/Kolkata"})):
        _timed(client, path, params, repeat=3, before=bump)  # warm the connection and the plan cache
        _report(f"{label}, uncached", _timed(client, path, params, repeat=repeat, before=bump), 50)
        _report(f"{label}, cached", _timed(client, path, params, repeat=repeat), 5)

    filters = {"source": "vima", "project": "91game", "status": "success", **month}
    for page, target in ((1, 30), (1000, 50)):
        params = {**filters, "page": page, "limit": 50}
        _timed(client, "/api/v1/transactions", params, repeat=2)
        _report(f"transactions page {page:,} (source, project, status, 30 days)",
                _timed(client, "/api/v1/transactions", params, repeat=repeat), target)
    _cache_round_trip(max(repeat, 100))


def _export(params: dict, conn) -> None:
    """The serving process: one export through the full stack, streamed to nowhere, counted."""
    _setup()
    client = _client()
    started = time.perf_counter()
    response = client.get("/api/v1/export/transactions", params)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    conn.send((lines - 1, size, time.perf_counter() - started, peak_rss_mb()))


def measure_export(rows_wanted: int, total_rows: int, days: int) -> None:
    hours = max(1, round(days * 24 * rows_wanted / total_rows))
    first = datetime.now(UTC).date() - timedelta(days=days // 2)
    last = first + timedelta(days=max(0, hours // 24 - 1))
    params = {"format": "csv", "from_date": str(first), "to_date": str(last)}
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_export, args=(params, sender), name="export")
    process.start()
    rows, size, seconds, peak = receiver.recv()
    process.join()
    print(f"CSV export of {rows:,} rows ({size / 1e6:,.0f} MB): {rows / seconds:,.0f} rows/s in {seconds:.1f} s, "
          f"serving process peak {peak:,.0f} MB   (target >= 50,000 rows/s, < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--export-rows", type=int, default=1_000_000, help="0: no export")
    parser.add_argument("--reload", action="store_true", help="load the table again even if it holds this load")
    args = parser.parse_args()
    _setup()
    load(args.rows, args.days, force=args.reload)
    print(f"API on PostgreSQL, {args.rows:,} transactions over {args.days} days, Redis cache; {args.repeat} calls each")
    print(yardstick())
    measure_api(args.repeat)
    if args.export_rows:
        measure_export(args.export_rows, args.rows, args.days)
    print(yardstick())
    print(f"peak memory of this process: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
