"""Time of one reconciliation run on PostgreSQL, results stored, over a day of ~N Vima and ~N PayShack rows.

    python -m bench.reconcile --size 1000000 [--keep]

The rows go straight into the transactions table with COPY (no write path, no rollups: only the
engine is measured), shaped like the sandbox world's 91game day: 90% pairs, 3% on one side only
each way, 1.5% with another amount, 1.5% with another status, 1% with the order id used twice.
Then the run (``reconciliation_run``: the one statement, carry-over, superseding) is timed twice:
a first run, and a rerun that supersedes it. Prints both times, the counts, and the load.
"""

import argparse
import hashlib
import os
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.setup import django_on_bench_database, yardstick

DAY = date(2026, 1, 15)
START = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)
COLUMNS = ("id", "source", "source_id", "reference_id", "client_operation_id", "order_id", "project", "merchant_id",
           "amount", "currency", "fee", "status", "original_status", "direction", "user_id", "user_email",
           "user_phone", "user_name", "country", "utr", "payment_method", "payment_product", "created_at",
           "updated_at", "completed_at", "source_create_cursor", "source_update_cursor", "raw_data", "data_hash",
           "ingested_at")
# Out of 1000, as the sandbox world plans 91game (integrations/sandbox/world.py PRESENCE).
SHAPES = ((900, "both"), (30, "vima_only"), (30, "payshack_only"), (15, "amount"), (15, "status"), (10, "duplicate"))
STATUSES = ("success", "success", "success", "failed", "pending")


def _shape(i: int) -> str:
    roll = (i * 7919) % 1000
    for weight, shape in SHAPES:
        if roll < weight:
            return shape
        roll -= weight
    raise AssertionError


def _row(source: str, i: int, copy: int, *, amount: Decimal, status: str, created: datetime) -> tuple:
    key = f"ord-{i}"
    source_id = f"{source[:2]}-{i}{'-d' if copy else ''}"
    return (uuid.uuid4(), source, source_id, "", key if source == "vima" else "", key if source == "payshack" else "",
            "91game", "", amount, "INR", None, status, status, "payin", f"u{i % 50_000}", "", "", "", "IN", "",
            "upi", "", created, created, None, "", "", "{}", hashlib.sha256(source_id.encode()).hexdigest(), created)


def rows(size: int):
    """(Vima rows, PayShack rows) as tuples for COPY: ``size`` payments spread over the day."""
    step = 86_400_000_000 // size
    for i in range(size):
        shape = _shape(i)
        created = START + timedelta(microseconds=i * step)
        amount = Decimal(10_000 + (i * 104_729) % 4_990_000) / 100
        status = STATUSES[i % len(STATUSES)]
        if shape != "payshack_only":
            yield _row("vima", i, 0, amount=amount, status=status, created=created)
        if shape == "vima_only":
            continue
        ps_amount = amount + amount / 100 + Decimal("1.50") if shape == "amount" else amount
        ps_status = ("failed" if status == "success" else "success") if shape == "status" else status
        ps_created = (created + timedelta(seconds=i % 600)).replace(microsecond=0)
        yield _row("payshack", i, 0, amount=ps_amount, status=ps_status, created=ps_created)
        if shape == "duplicate":
            yield _row("payshack", i, 1, amount=ps_amount, status=ps_status, created=ps_created + timedelta(seconds=45))


def load(size: int) -> int:
    from django.db import connection

    from reconciliation.models import ReconciliationResult, ReconciliationRun
    from transactions.models import Transaction

    count = 0
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ReconciliationResult._meta.db_table}, {ReconciliationRun._meta.db_table}, "
                       f"{Transaction._meta.db_table} CASCADE")
        with cursor.cursor.copy(f"COPY {Transaction._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(size):
                copy.write_row(row)
                count += 1
        cursor.execute(f"ANALYZE {Transaction._meta.db_table}")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000, help="payments in the day (default 1,000,000)")
    parser.add_argument("--keep", action="store_true", help="reuse the rows already loaded (results are cleared)")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_recon")
    django_on_bench_database()
    print(yardstick())
    from django.db import connection

    from reconciliation.services import reconciliation_run
    from transactions.models import ProjectMapping, Transaction

    ProjectMapping.objects.get_or_create(source="payshack", provider_name="91G_TECH_PVT_LTD",
                                         defaults={"project": "91game"})
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    if args.keep:  # the rows stay; earlier runs' results go, so every measurement starts alike
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE reconciliation_reconciliationresult, reconciliation_reconciliationrun CASCADE")
    else:
        started = time.perf_counter()
        loaded = load(args.size)
        print(f"generated {loaded:,} rows with COPY in {time.perf_counter() - started:.1f} s")
    by_source = dict(Transaction.objects.values_list("source").annotate(n=__import__("django").db.models.Count("id"))
                     .order_by())
    print(f"rows: vima {by_source.get('vima', 0):,}, payshack {by_source.get('payshack', 0):,}")
    for label in ("first run", "rerun (supersedes it)"):
        started = time.perf_counter()
        run = reconciliation_run(date_from=DAY, date_to=DAY, trigger="command")
        elapsed = time.perf_counter() - started
        print(f"{label}: {elapsed:.2f} s for {run.total:,} results stored ({run.total / elapsed:,.0f} results/s)")
    print("counts: " + ", ".join(f"{klass} {n:,}" for klass, n in run.counts.items()))
    print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    connection.close()


if __name__ == "__main__":
    main()
