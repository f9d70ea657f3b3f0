"""Throughput of the one write path, ``transactions_upsert``, on PostgreSQL.

    python -m bench.write_path --rows 1000000 [--batch 10000] [--orm-rows 10000]

Prints rows/s for (a) inserting into an empty table, (b) upserting the same keys again with half of
them changed, (c) replaying (b) unchanged, and (d) Django's per-row ``update_or_create`` on
--orm-rows rows, with the ratio of (b) to (d). Only the write calls are timed; building the rows
(normalizer output) is timed and printed apart.
"""

import argparse
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench.setup import django_on_bench_database, peak_rss_mb, yardstick

BASE = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = ("success", "failed", "pending", "success", "success")


def build_rows(start: int, count: int, *, version: int):
    """Rows ``start`` … ``start+count-1``; in version 1 every even row has a new status, amount and time."""
    from transactions.rows import NormalizedTransaction

    rows = []
    for i in range(start, start + count):
        changed = version == 1 and i % 2 == 0
        created = BASE + timedelta(seconds=i * 7)
        rows.append(
            NormalizedTransaction(
                source="vima", source_id=f"op-{i:09d}", amount=Decimal(100 + i % 90_000) / 100 + (1 if changed else 0),
                currency="INR", status="refunded" if changed else STATUSES[i % 5], direction="payin",
                created_at=created, updated_at=created + timedelta(hours=version if changed else 0),
                client_operation_id=f"co-{i}", reference_id=f"ref-{i}", project=("91game", "monetix")[i % 2],
                user_id=f"u{i % 50_000}", user_email=f"user{i % 50_000}@example.com", user_phone=f"+91{i:010d}",
                user_name="Asha Rao", country="IN", payment_method="upi", payment_product="collect",
                fee=Decimal("1.25"), source_create_cursor=str(i), source_update_cursor=str(i + version),
                raw_data={"operation_id": i, "current_status": "success", "project": "91game", "amount": 150000},
            )
        )
    return rows


def timed_upserts(total: int, batch: int, *, version: int) -> tuple[float, float, object]:
    """Upsert ``total`` rows in batches; returns (write seconds, build seconds, summed result)."""
    from transactions.services import UpsertResult, transactions_upsert

    write_s = build_s = 0.0
    result = UpsertResult()
    for start in range(0, total, batch):
        t0 = time.perf_counter()
        rows = build_rows(start, min(batch, total - start), version=version)
        for row in rows:
            row.data_hash  # the hash belongs to building the row, as in a normalizer  # noqa: B018
        t1 = time.perf_counter()
        result += transactions_upsert(rows=rows)
        write_s += time.perf_counter() - t1
        build_s += t1 - t0
    return write_s, build_s, result


def per_row_orm(rows) -> float:
    """The approach the write path replaces: one update_or_create per row."""
    from transactions.models import Transaction
    from transactions.writers.columns import STAGED_FIELDS

    started = time.perf_counter()
    for row in rows:
        defaults = {name: getattr(row, name) for name in STAGED_FIELDS if name not in ("source", "source_id")}
        Transaction.objects.update_or_create(
            source=row.source, source_id=row.source_id, defaults=defaults,
            create_defaults={**defaults, "ingested_at": row.updated_at},
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--orm-rows", type=int, default=10_000)
    args = parser.parse_args()
    django_on_bench_database()
    print(yardstick())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE transactions_transaction")

    print(f"write path on PostgreSQL: {args.rows:,} rows, batches of {args.batch:,}")
    report = {}
    for label, version in (("(a) insert into empty table", 0), ("(b) half changed, into full table", 1),
                           ("(c) replay unchanged", 1)):
        write_s, build_s, result = timed_upserts(args.rows, args.batch, version=version)
        report[label] = args.rows / write_s
        print(f"{label:38} {args.rows / write_s:>10,.0f} rows/s  write {write_s:6.1f} s"
              f"  (building rows {build_s:5.1f} s)"
              f"  inserted={result.inserted:,} updated={result.updated:,} unchanged={result.unchanged:,}")

    orm_rows = build_rows(0, args.orm_rows, version=2)  # half of them change again
    orm_s = per_row_orm(orm_rows)
    orm_rate = args.orm_rows / orm_s
    b_rate = report["(b) half changed, into full table"]
    print(f"{'(d) per-row update_or_create':38} {orm_rate:>10,.0f} rows/s  write {orm_s:6.1f} s"
          f"  on {args.orm_rows:,} rows")
    print(f"ratio (b) / (d): {b_rate / orm_rate:,.0f}x")
    print(f"peak memory: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
