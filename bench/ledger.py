"""The general ledger on PostgreSQL: posting, re-posting, the write path with realtime posting, reports.

    BENCH_DATABASE_URL=postgres://…/bench python -m bench.ledger [--day-rows 1000000] [--lines 10000000]

Prints, beside the yardstick (``bench.setup.yardstick``) and the load average:
1. posting one business day of --day-rows transactions (one GROUP BY, one voucher), and re-posting it unchanged;
2. the write path's rows/s (``transactions_upsert``, batches of 2,000 as the sync runner commits) with realtime
   posting off and on. "On" is what the write path pays: the receiver and the enqueue of the posting task after
   each commit (the task itself runs in a worker; its cost is figure 1);
3. over --lines voucher lines (generated in SQL, triggers skipped while loading — that needs a superuser — and
   balances built by one GROUP BY, as the posting service keeps them): a trial balance and a balance as of a
   mid-month date, and an account statement's page 1 and page 1,000 (keyset cursor), each the median of 5.
"""

import argparse
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.setup import django_on_bench_database, yardstick

DAY = date(2026, 3, 10)
BATCH = 2_000  # rows per commit, as the sync runner writes them
ROUNDS = 3
LINES_PER_VOUCHER = 50
ACCOUNTS = 100  # so that one account has enough lines in INR for 1,000 pages of 50
FIRST_MONTH = date(2024, 1, 1)
MONTHS = 24


def _rows(start: int, count: int, *, day: date = DAY, tag: str = "d"):
    from transactions.rows import NormalizedTransaction

    base = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return [NormalizedTransaction(
        source=("vima", "payshack")[i % 2], source_id=f"{tag}{i:09d}", amount=Decimal(100 + i % 90_000) / 100,
        currency=("INR", "USD", "EUR")[i % 3], status=("success", "success", "failed", "refunded", "pending")[i % 5],
        direction="payout" if i % 7 == 0 else "payin", project=("91game", "monetix", "caroussel")[i % 3],
        created_at=base + timedelta(microseconds=i * 86_000), updated_at=base + timedelta(microseconds=i * 86_000),
        fee=Decimal("1.25"), client_operation_id=f"co{i}") for i in range(start, start + count)]


def _load_day(total: int) -> float:
    from transactions.services import transactions_upsert

    started = time.perf_counter()
    for start in range(0, total, 10_000):
        transactions_upsert(rows=_rows(start, min(10_000, total - start)))
    return time.perf_counter() - started


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def posting(day_rows: int) -> None:
    from ledger.services.posting import ledger_post

    load_s = _load_day(day_rows)
    print(f"loaded {day_rows:,} transactions of {DAY} in {load_s:.1f} s (not a ledger figure)")
    first_s, first = _timed(lambda: ledger_post(date_from=DAY, date_to=DAY))
    print(f"posting a day of {day_rows:,} transactions: {first_s:.2f} s ({len(first.vouchers)} vouchers, "
          f"{first.keys} keys) [target < 10 s]")
    again_s, again = _timed(lambda: ledger_post(date_from=DAY, date_to=DAY))
    print(f"re-posting it unchanged: {again_s:.2f} s ({len(again.vouchers)} vouchers) [target < 2 s]")


def write_path(rows: int) -> None:
    from django.conf import settings

    from transactions.services import transactions_upsert

    rates = {"off": 0.0, "on": 0.0}
    offset = 0
    for _ in range(ROUNDS):  # alternated, best of each: the machine's load moves during a run
        for mode, tag in (("manual", "off"), ("realtime", "on")):
            settings.LEDGER_POSTING_MODE = mode
            settings.LEDGER_REALTIME_DELAY_SECONDS = 0  # the worst case: an enqueue after every commit
            started = time.perf_counter()
            for start in range(offset, offset + rows, BATCH):
                transactions_upsert(rows=_rows(start, BATCH, day=DAY + timedelta(days=1), tag=tag))
            rates[tag] = max(rates[tag], rows / (time.perf_counter() - started))
        offset += rows
    settings.LEDGER_POSTING_MODE = "manual"
    slower = (1 - rates["on"] / rates["off"]) * 100
    print(f"write path, batches of {BATCH:,}: realtime posting off {rates['off']:,.0f} rows/s, on "
          f"{rates['on']:,.0f} rows/s ({slower:+.1f} % slower) [target ≤ 10 %]")


def _generate_lines(lines: int) -> None:
    """Vouchers, lines and balances straight in SQL: ``lines`` lines in balanced pairs over ``ACCOUNTS`` accounts
    and ``MONTHS`` months, a fifth in USD."""
    from django.db import connection

    from ledger.models import Account, Journal
    from ledger.services.periods import period_for
    from ledger.services.vouchers import system_user

    user = system_user()
    journal = Journal.objects.get(code="GEN")
    Account.objects.bulk_create([Account(code=f"B{n:04d}", name=f"bench {n}", type="asset") for n in range(ACCOUNTS)],
                                ignore_conflicts=True)
    first = Account.objects.get(code="B0000").pk
    month = FIRST_MONTH
    for _ in range(MONTHS):
        period_for(month)
        month = (month + timedelta(days=32)).replace(day=1)
    vouchers, days = lines // LINES_PER_VOUCHER, (date(2025, 12, 31) - FIRST_MONTH).days
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # the line triggers would look up each voucher
        cursor.execute(f"""
            INSERT INTO ledger_voucher (journal_id, number, date, period_id, status, kind, description, created_by_id,
                                        created_at, posted_by_id, posted_at)
            SELECT %s, 'BENCH-' || v, d, p.id, 'posted', 'manual', '', %s, now(), %s, now()
            FROM generate_series(1, {vouchers}) v
            CROSS JOIN LATERAL (SELECT DATE '{FIRST_MONTH}' + (v::bigint * {days} / {vouchers})::int AS d) dd
            JOIN ledger_period p ON dd.d BETWEEN p.start AND p."end" """, [journal.pk, user.pk, user.pk])
        cursor.execute(f"""
            INSERT INTO ledger_voucherline (voucher_id, account_id, debit, credit, currency, project, description,
                                            date, is_posted, rule_side, key_source, key_event)
            SELECT v.id, {first} + CASE WHEN g % 2 = 0 THEN (g / 2) % {ACCOUNTS} ELSE (g / 2 * 7 + 1) % {ACCOUNTS} END,
                   CASE WHEN g % 2 = 0 THEN 1 + (g / 2 % 10000) / 100.0 ELSE 0 END,
                   CASE WHEN g % 2 = 1 THEN 1 + (g / 2 % 10000) / 100.0 ELSE 0 END,
                   CASE WHEN (g / 2) % 5 = 0 THEN 'USD' ELSE 'INR' END, '', '', v.date, true, '', '', ''
            FROM generate_series(0, {lines - 1}) g
            JOIN ledger_voucher v ON v.number = 'BENCH-' || (g / {LINES_PER_VOUCHER} + 1)""")
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("""
            INSERT INTO ledger_accountbalance (account_id, period_id, currency, project, debit, credit)
            SELECT l.account_id, v.period_id, l.currency, l.project, SUM(l.debit), SUM(l.credit)
            FROM ledger_voucherline l JOIN ledger_voucher v ON v.id = l.voucher_id GROUP BY 1, 2, 3, 4
            ON CONFLICT (account_id, period_id, currency, project)
            DO UPDATE SET debit = ledger_accountbalance.debit + EXCLUDED.debit,
                          credit = ledger_accountbalance.credit + EXCLUDED.credit""")
        cursor.execute("""
            INSERT INTO ledger_daybalance (account_id, day, currency, project, debit, credit)
            SELECT account_id, date, currency, project, SUM(debit), SUM(credit) FROM ledger_voucherline
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (account_id, day, currency, project)
            DO UPDATE SET debit = ledger_daybalance.debit + EXCLUDED.debit,
                          credit = ledger_daybalance.credit + EXCLUDED.credit""")
        cursor.execute("ANALYZE ledger_daybalance")
        cursor.execute("ANALYZE ledger_voucherline")
        cursor.execute("ANALYZE ledger_accountbalance")


def _median_ms(action, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def reports(lines: int) -> None:
    from ledger import selectors
    from ledger.models import Account, VoucherLine

    started = time.perf_counter()
    _generate_lines(lines)
    print(f"generated {lines:,} voucher lines in {time.perf_counter() - started:.0f} s (not a ledger figure)")
    as_of = date(2025, 6, 17)
    trial_ms = _median_ms(lambda: selectors.trial_balance(as_of=as_of))
    account = Account.objects.get(code="B0007")
    balance_ms = _median_ms(lambda: selectors.balances_as_of(as_of=as_of, account_id=account.pk, currency="INR"))
    print(f"trial balance as of {as_of} over {lines:,} lines: {trial_ms:.1f} ms; one account's balance as of that "
          f"date: {balance_ms:.1f} ms [target < 50 ms each]")
    span = {"account": account, "currency": "INR", "date_from": date(2024, 1, 1), "date_to": date(2025, 12, 31),
            "limit": 50}
    page1_ms = _median_ms(lambda: selectors.statement_page(**span))
    # The position after page 999 (found once, untimed, as a client walking the pages would hold it).
    lines_qs = VoucherLine.objects.filter(account=account, currency="INR", is_posted=True).order_by("date", "id")
    page = min(1_000, lines_qs.count() // 50)
    last = lines_qs.values("date", "id")[(page - 1) * 50 - 1]
    before = lines_qs.filter(date__lt=last["date"]) | lines_qs.filter(date=last["date"], id__lte=last["id"])
    sums = [Decimal(d) - Decimal(c) for d, c in before.values_list("debit", "credit")]
    position = (last["date"], last["id"], sum(sums, Decimal(0)))
    page1000_ms = _median_ms(lambda: selectors.statement_page(**span, after=position))
    total = selectors.statement_count(account=account, currency="INR", date_from=span["date_from"],
                                      date_to=span["date_to"])
    print(f"statement of one account ({total:,} lines in INR), 50 a page: page 1 {page1_ms:.1f} ms, page {page:,} "
          f"{page1000_ms:.1f} ms [target < 50 ms each]")


def _empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ledger_voucherline, ledger_accountbalance, ledger_daybalance, ledger_vouchercounter, "
                       "ledger_glreconciliationresult, ledger_voucher, transactions_transaction CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day-rows", type=int, default=1_000_000)
    parser.add_argument("--write-rows", type=int, default=40_000, help="rows per round and mode")
    parser.add_argument("--lines", type=int, default=10_000_000)
    args = parser.parse_args()
    os.environ.setdefault("LEDGER_POSTING_MODE", "manual")  # loading must not post; figure 2 sets it per run
    django_on_bench_database()
    _empty()
    print(yardstick())
    posting(args.day_rows)
    write_path(args.write_rows)
    reports(args.lines)
    print(yardstick())  # again at the end: the load moves during a long run


if __name__ == "__main__":
    main()
