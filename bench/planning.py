"""Plans and the loan book on PostgreSQL: load rate, answers uncached and cached, plan import with preview.

    python -m bench.planning --credits 1000000 [--repayments-per-credit 10] [--seed 1] [--repeat 20]
                             [--import-rows 10000]

Writes a generated loan book (``lending demo``; 10 repayments per credit by default, so 1,000,000 credits
bring 10,000,000 repayments) under var/bench/ (kept for the next run), empties the loan-book tables of the
bench database and loads it with the real service (each file COPied as text into a staging table, checked and
written by set-based SQL, the daily totals rebuilt), then loads the same files again (nothing changes). Then,
in this process through Django's full stack (middleware, DRF, token auth, renderer) with Redis as the cache,
it prints the median and p95 of year performance and plans performance uncached (namespace bumped before each
call) and cached, a borrower's credits (uncached, a different borrower each call), and the time of a plan
import of --import-rows rows with preview (and the same file written).

Beside the figures: a yardstick measured in the same run (a bare SELECT 1 round trip and the ORM's
per-row insert rate) and the load average, so a reader can tell the code from the day.
Targets: load >= 100,000 rows/s; year and plans performance < 100 ms uncached, < 5 ms cached; a borrower's
credits < 20 ms; an import of 10,000 rows with preview < 2 s.
"""

import argparse
import os
import random
import statistics
import time
from pathlib import Path

from bench.setup import django_for_api_bench

DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_planning"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
BENCH_USER = "bench-planning"


def _setup() -> None:
    django_for_api_bench(name="bench-planning", database_url=DEFAULT_BENCH_DATABASE_URL, redis_url=DEFAULT_REDIS_URL)


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min, {os.cpu_count()} cores)"


def load(credits: int, seed: int, per_credit: int) -> None:
    from django.db import connection

    from lending.demo import demo_write
    from lending.services import loan_book_load

    directory = Path(os.environ.get("VAR_DIR", "var")) / "bench" / f"planning-{seed}-{credits}x{per_credit}"
    if not (directory / "totals.json").exists():
        started = time.perf_counter()
        demo_write(directory=directory, seed=seed, size=credits, repayments_per_credit=per_credit)
        print(f"generated {credits:,} credits in {time.perf_counter() - started:.0f} s into {directory}")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE lending_repayment, lending_credit, lending_borrower, lending_loanday, "
                       "planning_plan")
    for attempt in ("first load", "same files again"):
        started = time.perf_counter()
        result = loan_book_load(directory=directory, currency="UAH")
        seconds = time.perf_counter() - started
        rows = result.borrowers + result.credits + result.repayments + result.plans
        print(f"{attempt}: {result.borrowers:,} borrowers, {result.credits:,} credits, {result.repayments:,} "
              f"repayments, {result.plans} plans = {rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s "
              f"(reading and checking the files included)")
    with connection.cursor() as cursor:
        for table in ("lending_credit", "lending_repayment", "lending_loanday", "planning_plan"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _client():
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USER, defaults={"is_superuser": True})
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _timed(call, repeat: int, *, before=None) -> str:
    times = []
    for number in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        response = call(number)
        times.append(time.perf_counter() - started)
        assert response.status_code in (200, 201), response.content[:300]
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms ({repeat} calls)"


def answers(repeat: int, credits: int) -> None:
    from common.cache import namespace_bump
    from planning.cache_namespaces import BORROWER_CREDITS, PLANS_PERFORMANCE, YEAR_PERFORMANCE

    client = _client()
    for label, url, namespace in (
            ("year performance", "/api/v1/planning/year-performance?year=2026", YEAR_PERFORMANCE),
            ("plans performance", "/api/v1/planning/plans-performance?date=2026-06-15", PLANS_PERFORMANCE)):
        uncached = _timed(lambda _, u=url: client.get(u), repeat, before=lambda ns=namespace: namespace_bump(ns))
        client.get(url)
        cached = _timed(lambda _, u=url: client.get(u), repeat)
        print(f"{label}: uncached {uncached}; cached {cached}")
    borrowers = max(credits // 2, 1)
    picks = random.Random(7).sample(range(1, borrowers + 1), min(repeat, borrowers))
    timed = _timed(lambda n: client.get(f"/api/v1/lending/borrowers/{picks[n % len(picks)]}/credits?date=2026-12-31"),
                   len(picks), before=lambda: namespace_bump(BORROWER_CREDITS))
    print(f"a borrower's credits (uncached): {timed}")


def plan_import(rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from planning.models import Plan

    names = ["видача", "збір", "тіло", "відсотки", "pay-in volume", "pay-out volume"]
    lines = ["month,category_name,sum,project"]
    for number in range(rows):
        month, rest = number % 12 + 1, number // 12
        lines.append(f"2027-{month:02d}-01,{names[rest % 6]},{1000 + number}.50,bench{rest // 6}")
    content = ("\n".join(lines) + "\n").encode()
    client = _client()
    Plan.objects.filter(project__startswith="bench").delete()
    for preview in ("true", "false"):
        upload = SimpleUploadedFile("plans.csv", content, content_type="text/csv")
        started = time.perf_counter()
        response = client.post("/api/v1/planning/plans/import", {"file": upload, "preview": preview},
                               format="multipart")
        seconds = time.perf_counter() - started
        assert response.status_code in (200, 201), response.content[:500]
        print(f"plan import of {rows:,} rows ({len(content) / 1024:.0f} KB CSV), preview={preview}: {seconds:.2f} s")
    Plan.objects.filter(project__startswith="bench").delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--credits", type=int, default=1_000_000)
    parser.add_argument("--repayments-per-credit", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=10_000)
    args = parser.parse_args()
    _setup()
    from bench.setup import yardstick

    print(f"load average before: {_load_average()}")
    print(yardstick())
    load(args.credits, args.seed, args.repayments_per_credit)
    answers(args.repeat, args.credits)
    plan_import(args.import_rows)
    print(yardstick())
    print(f"load average after: {_load_average()}")


if __name__ == "__main__":
    main()
