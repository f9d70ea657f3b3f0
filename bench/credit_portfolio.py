"""The credit portfolio: import rate of a 100,000-row export in XLSX and XLSB, and the analytics over
1,000,000 operations, uncached and cached, on PostgreSQL.

    BENCH_DATABASE_URL=postgres://…/mybench python -m bench.credit_portfolio [--rows 100000] [--operations 1000000]

Each import runs in a process of its own (so its peak memory is its own): the file is served by the
FTP sandbox over loopback and read through the shared sync runner into an empty portfolio, then
read again unchanged (the hash differs: its time was moved). The analytics are timed on a portfolio
of --operations rows (a quarter receipts, a quarter repayments, half their detail lines), each answer
computed by its selector (uncached) and read through the cache namespace (cached), median of runs.
Beside the figures: the shared yardstick of this machine today (``bench.setup.yardstick``: a bare
``SELECT 1`` round trip, Django's per-row ORM insert rate, pure-Python speed, the load average).
"""

import argparse
import multiprocessing
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench.setup import django_on_bench_database, peak_rss_mb, yardstick

REPEATS = 5


def write_export(folder: Path, rows: int, fmt: str) -> Path:
    """One repayments file of ``rows`` rows (organization 0's, the plain layout), in ``fmt``."""
    from credit_portfolio.choices import FileKind
    from credit_portfolio.sandbox.server import publish
    from credit_portfolio.sandbox.world import ORGANIZATIONS, World

    [path] = publish(World(seed=1, size=rows * len(ORGANIZATIONS)), folder, fmt=fmt, only=(0, FileKind.EXPENSES))
    return path


def _empty_portfolio() -> None:
    from django.db import connection

    from credit_portfolio.models import (
        Contract,
        Expense,
        ImportedRow,
        ImportLog,
        MonthlyTotal,
        Receipt,
        RepaymentDetail,
    )
    from integrations.models import QuarantinedRecord, SyncRun, SyncState

    # TRUNCATE, not Django's delete(), which would load every row (and fatten this process, which forks the next).
    tables = ", ".join(m._meta.db_table for m in (RepaymentDetail, Expense, Receipt, Contract, ImportLog, MonthlyTotal,
                                                   ImportedRow))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables}")
    SyncState.objects.filter(source="credit_portfolio").delete()
    QuarantinedRecord.objects.filter(source="credit_portfolio").delete()
    SyncRun.objects.filter(source="credit_portfolio").delete()


def _import_in_child(folder: str, results) -> None:
    from credit_portfolio.client import FtpSettings
    from credit_portfolio.sandbox.server import FtpSandbox
    from credit_portfolio.sync import PortfolioSource
    from integrations.core.runner import sync_run

    sandbox = FtpSandbox(Path(folder)).start()
    settings = FtpSettings(host=sandbox.host, port=sandbox.port, user=sandbox.user, password=sandbox.password)
    try:
        figures = []
        for label in ("new", "unchanged"):
            if label == "unchanged":
                from integrations.models import SyncState

                SyncState.objects.filter(source="credit_portfolio").delete()  # read it again, all of it
            rss_before = peak_rss_mb()
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            run = sync_run(source=PortfolioSource(settings), trigger="command")
            seconds = time.perf_counter() - started
            cpu = tuple(after - before for after, before in zip(_cpu_seconds(), cpu_before, strict=True))
            assert run.status == "succeeded", run.error
            # The reader process (forked by the runner, reaped by now) is this process's child.
            reader_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            figures.append((label, run.fetched - 1, seconds, rss_before, peak_rss_mb(), reader_peak, run.inserted,
                            run.unchanged, cpu))
        results.put(figures)
    finally:
        sandbox.stop()


def _cpu_seconds() -> tuple[float, float, float]:
    """CPU seconds so far of this process (the writer, and the FTP sandbox's thread), of its reaped children (the
    reader process) and of its database session's server process. Wall time on a shared machine moves with
    whatever else runs; the CPU an import takes does not, or far less."""
    from django.db import connection

    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [backend] = cursor.fetchone()
    try:  # the server on this machine: its process's utime and stime, in clock ticks
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        database = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:  # another machine's server: not measured
        database = float("nan")
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, database


def import_rates(rows: int) -> None:
    for fmt in ("xlsx", "xlsb"):
        with tempfile.TemporaryDirectory(prefix="bench-ftp-") as folder:
            started = time.perf_counter()
            # Written by a process of its own, so that the import's process starts as small as Django is.
            writer = multiprocessing.get_context("fork").Process(target=write_export, args=(Path(folder), rows, fmt))
            writer.start()
            writer.join()
            [path] = Path(folder).iterdir()
            written = time.perf_counter() - started
            _empty_portfolio()
            from django.db import connections

            connections.close_all()  # before the fork: the child opens its own connection, never shares this one
            results = multiprocessing.get_context("fork").Queue()
            child = multiprocessing.get_context("fork").Process(target=_import_in_child, args=(folder, results))
            child.start()
            figures = results.get()
            child.join()
            print(f"{fmt}: {path.stat().st_size / 1e6:.1f} MB file of {rows:,} rows (written in {written:.1f} s)")
            for label, read, seconds, before, peak, reader, inserted, unchanged, cpu in figures:
                print(f"  import {label:9s}: {read:,} rows in {seconds:.2f} s = {read / seconds:,.0f} rows/s "
                      f"(inserted {inserted:,}, unchanged {unchanged:,}); peak RSS: writer {peak:,.0f} MB "
                      f"(before the import: {before:,.0f} MB), reader process {reader:,.0f} MB; CPU: writer "
                      f"{cpu[0]:.2f} s, reader {cpu[1]:.2f} s, database {cpu[2]:.2f} s")


def fill_operations(total: int) -> None:
    """``total`` operations generated in the database: receipts and repayments a quarter each, their lines half."""
    from django.db import connection

    from credit_portfolio.models import Bank, Contract, Organization

    _empty_portfolio()
    quarter = total // 4
    orgs = [Organization.objects.get_or_create(name=f"Bench org {i}")[0] for i in range(3)]
    banks = [Bank.objects.get_or_create(name=f"Bench bank {i}")[0] for i in range(3)]
    contracts = [Contract.objects.create(organization=orgs[i % 3], name=f"Bench contract {i}", bank=banks[i % 3])
                 for i in range(30)]
    first_contract, org0, bank0 = contracts[0].pk, orgs[0].pk, banks[0].pk
    with connection.cursor() as cursor:
        for table, extra_columns, extra_values in (
                ("credit_portfolio_receipt", "payer, purpose", "'', ''"),
                ("credit_portfolio_expense", "recipient, expense_item, unconfirmed", "'', '', false")):
            cursor.execute(f"""
                INSERT INTO {table} (organization_id, document, date, contract_id, bank_id, bank_account, currency,
                                     amount, source_file, source_row, {extra_columns})
                SELECT {org0} + g % 3, 'doc-' || g, DATE '2022-01-01' + (g % 1460), {first_contract} + g % 30,
                       {bank0} + g % 3, '', 'RUB', 1000 + (g % 100000) / 100.0, 'bench', g, {extra_values}
                FROM generate_series(1, {quarter}) g""")
        cursor.execute("""
            INSERT INTO credit_portfolio_repaymentdetail (organization_id, expense_document, payment_kind, amount,
                line, expense_id, date, contract_id, bank_id, source_file, source_row)
            SELECT e.organization_id, e.document, k.kind, CASE k.kind WHEN 'principal' THEN e.amount * 0.8
                   ELSE e.amount * 0.2 END, 1, e.id, e.date, e.contract_id, e.bank_id, 'bench', e.source_row
            FROM credit_portfolio_expense e CROSS JOIN (VALUES ('principal'), ('interest')) AS k(kind)""")
        cursor.execute("ANALYZE credit_portfolio_receipt, credit_portfolio_expense, credit_portfolio_repaymentdetail")
    # Loaded around the write path, so its monthly totals are built from the operations once, as a migration does.
    from credit_portfolio.rollup import totals_rebuild

    started = time.perf_counter()
    groups = totals_rebuild()
    print(f"  monthly totals rebuilt from the operations: {groups:,} groups in {time.perf_counter() - started:.1f} s")


def _median_ms(compute, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        compute()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def analytics(total: int) -> None:
    from common.cache import cached
    from credit_portfolio import selectors
    from credit_portfolio.choices import CREDIT_PORTFOLIO

    started = time.perf_counter()
    fill_operations(total)
    print(f"analytics over {total:,} operations (filled in {time.perf_counter() - started:.0f} s); "
          f"median of {REPEATS} runs:")
    for name, answer in selectors.ANSWERS.items():
        for label, query in (("all", selectors.PortfolioQuery()),
                             ("one year, one org", selectors.PortfolioQuery(
                                 first=_date("2023-01-01"), last=_date("2023-12-31"), organization=_org_id())),
                             # Part-months at both ends: those days are summed from the operations.
                             ("mid-month to mid", selectors.PortfolioQuery(
                                 first=_date("2022-03-15"), last=_date("2024-10-20")))):
            uncached = _median_ms(lambda answer=answer, query=query: answer(query))
            key = f"bench|{name}|{query.cache_key()}"
            cached(CREDIT_PORTFOLIO, key, ttl=600, compute=lambda answer=answer, query=query: answer(query))
            hit = _median_ms(lambda key=key: cached(CREDIT_PORTFOLIO, key, ttl=600, compute=_never), repeats=50)
            print(f"  {name:19s} {label:18s} uncached {uncached:8.1f} ms   cached {hit:6.2f} ms")


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def _org_id() -> int:
    from credit_portfolio.models import Organization

    return Organization.objects.get(name="Bench org 0").pk


def _never():
    raise AssertionError("the cached answer was not found")


def day_line() -> str:
    """The shared yardstick (``bench.setup.yardstick``) and the cache backend the cached figures came from."""
    from django.conf import settings

    return f"{yardstick()}; cache backend {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--operations", type=int, default=1_000_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-analytics", action="store_true")
    args = parser.parse_args()
    django_on_bench_database()
    print(day_line())
    if not args.skip_import:
        import_rates(args.rows)
    if not args.skip_analytics:
        analytics(args.operations)
    print(day_line())


if __name__ == "__main__":
    main()
