"""The general ledger on PostgreSQL: posting, re-posting, the write path with realtime posting, reports.

    BENCH_DATABASE_URL=postgres://…/bench python -m bench.ledger [--day-rows 1000000] [--lines 10000000]

Prints, beside the yardstick (``bench.setup.yardstick``) and the load average:
1. posting one business day of --day-rows transactions (written in SQL with their rollups; the posting run reads
   the day's rollups, then one voucher per journal), re-posting it unchanged, and re-posting after 1,000 refunds;
2. the write path's rows/s (``transactions_upsert``, batches of 2,000 as the sync runner commits) with realtime
   posting off and on, at the production debounce and at 0 s (a task per commit). "On" is what the write path
   pays: the receiver and the enqueue of the posting task (the task itself runs in a worker; its cost is figure 1);
3. over --lines voucher lines (generated in SQL, triggers skipped while loading — that needs a superuser — and
   balances built by one GROUP BY, as the posting service keeps them): a trial balance and a balance as of a
   mid-month date, and an account statement's page 1 and page 1,000 (keyset cursor), each the median of 5.
"""

import argparse
import os
import statistics
import time
from dataclasses import replace
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
    """``total`` transactions of ``DAY`` written in SQL (the spread of ``_rows``), then their rollups rebuilt from
    them (``analytics.services.rollups_rebuild``): the state the write path leaves, minutes sooner."""
    from django.db import connection

    from analytics.services import rollups_rebuild
    from transactions.selectors import utc_midnight

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO transactions_transaction (
                id, source, source_id, reference_id, client_operation_id, order_id, project, merchant_id, amount,
                currency, fee, status, original_status, direction, user_id, user_email, user_phone, user_name,
                country, utr, payment_method, payment_product, created_at, updated_at, source_create_cursor,
                source_update_cursor, raw_data, data_hash, ingested_at)
            SELECT gen_random_uuid(), (ARRAY['vima', 'payshack'])[i %% 2 + 1], 'd' || lpad(i::text, 9, '0'), '',
                   'co' || i, '', (ARRAY['91game', 'monetix', 'caroussel'])[i %% 3 + 1], '', (100 + i %% 90000) / 100.0,
                   (ARRAY['INR', 'USD', 'EUR'])[i %% 3 + 1], 1.25,
                   (ARRAY['success', 'success', 'failed', 'refunded', 'pending'])[i %% 5 + 1], '',
                   CASE WHEN i %% 7 = 0 THEN 'payout' ELSE 'payin' END, '', '', '', '', '', '', '', '',
                   %(base)s + i * interval '86 milliseconds', %(base)s + i * interval '86 milliseconds', '', '',
                   '{}'::jsonb, md5(i::text), now()
            FROM generate_series(0, %(last)s) i""", {"base": utc_midnight(DAY), "last": total - 1})
        cursor.execute("ANALYZE transactions_transaction")
    rollups_rebuild(start=utc_midnight(DAY), end=utc_midnight(DAY + timedelta(days=1)))
    return time.perf_counter() - started


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def posting(day_rows: int) -> None:
    from ledger.services.posting import ledger_post
    from transactions.services import transactions_upsert

    load_s = _load_day(day_rows)
    print(f"loaded {day_rows:,} transactions of {DAY} and their rollups in {load_s:.1f} s (not a ledger figure)")
    first_s, first = _timed(lambda: ledger_post(date_from=DAY, date_to=DAY))
    print(f"posting a day of {day_rows:,} transactions: {first_s:.2f} s ({len(first.vouchers)} vouchers, "
          f"{first.keys} keys) [target < 10 s]")
    again_s, again = _timed(lambda: ledger_post(date_from=DAY, date_to=DAY))
    print(f"re-posting it unchanged: {again_s:.2f} s ({len(again.vouchers)} vouchers) [target < 2 s]")
    # 1,000 settled pay-ins of the day refunded through the write path: one adjusting voucher per journal.
    refunded = [row for row in _rows(0, 10_000) if row.status == "success" and row.direction == "payin"][:1_000]
    transactions_upsert(rows=[replace(row, status="refunded", updated_at=row.updated_at + timedelta(hours=1))
                              for row in refunded])
    changed_s, changed = _timed(lambda: ledger_post(date_from=DAY, date_to=DAY))
    print(f"re-posting it after 1,000 refunds: {changed_s:.2f} s ({len(changed.vouchers)} adjusting vouchers, "
          f"{changed.keys} keys)")


def write_path(rows: int) -> None:
    """Rows/s of ``transactions_upsert`` with realtime posting off and on: at the production debounce
    (``LEDGER_REALTIME_DELAY_SECONDS``), and at 0 (a task per commit, the worst case)."""
    from django.conf import settings

    from transactions.services import transactions_upsert

    delay = settings.LEDGER_REALTIME_DELAY_SECONDS
    modes = (("off", "manual", delay), (f"on {delay} s", "realtime", delay), ("on 0 s", "realtime", 0))
    rates = dict.fromkeys((label for label, _, _ in modes), 0.0)
    offset = 0
    for _ in range(ROUNDS):  # alternated, best of each: the machine's load moves during a run
        for label, mode, seconds in modes:
            settings.LEDGER_POSTING_MODE, settings.LEDGER_REALTIME_DELAY_SECONDS = mode, seconds
            started = time.perf_counter()
            for start in range(offset, offset + rows, BATCH):
                transactions_upsert(rows=_rows(start, BATCH, day=DAY + timedelta(days=1), tag=label.replace(" ", "")))
            rates[label] = max(rates[label], rows / (time.perf_counter() - started))
        offset += rows
    settings.LEDGER_POSTING_MODE, settings.LEDGER_REALTIME_DELAY_SECONDS = "manual", delay
    off = rates["off"]
    shown = ", ".join(f"{label} {rate:,.0f} rows/s ({(1 - rate / off) * 100:+.1f} % slower)"
                      for label, rate in rates.items() if label != "off")
    print(f"write path, batches of {BATCH:,}: realtime posting off {off:,.0f} rows/s; {shown} [target ≤ 10 % at "
          "the production debounce]")


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
    voucher_day = f"DATE '{FIRST_MONTH}' + ((%(v)s)::bigint * {days} / {vouchers})::int"
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers and foreign-key checks per row, skipped
        cursor.execute(f"""
            INSERT INTO ledger_voucher (journal_id, number, date, period_id, status, kind, description, created_by_id,
                                        created_at, posted_by_id, posted_at)
            SELECT %s, 'BENCH-' || v, d, p.id, 'posted', 'manual', '', %s, now(), %s, now()
            FROM generate_series(1, {vouchers}) v
            CROSS JOIN LATERAL (SELECT {voucher_day % {"v": "v"}} AS d) dd
            JOIN ledger_period p ON dd.d BETWEEN p.start AND p."end"
            ORDER BY v""", [journal.pk, user.pk, user.pk])
        cursor.execute("SELECT min(id), max(id), count(*) FROM ledger_voucher WHERE number LIKE 'BENCH-%%'")
        low, high, count = cursor.fetchone()
        assert high - low + 1 == count == vouchers, "the bench's vouchers are numbered without gaps"
        # Lines go in without their indexes, which are built once afterwards (faster than 10M index inserts each).
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_voucherline' "
                       "AND indexname NOT LIKE '%%pkey'")
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        step = 2_000_000  # lines per statement: a few GBs of sort memory at most
        for start in range(0, lines, step):
            cursor.execute(f"""
                INSERT INTO ledger_voucherline (voucher_id, account_id, debit, credit, currency, project, description,
                                                date, is_posted, rule_side, key_source, key_event)
                SELECT {low} + g / {LINES_PER_VOUCHER},
                       {first} + CASE WHEN g % 2 = 0 THEN (g / 2) % {ACCOUNTS}
                                      ELSE (g / 2 * 7 + 1) % {ACCOUNTS} END,
                       CASE WHEN g % 2 = 0 THEN 1 + (g / 2 % 10000) / 100.0 ELSE 0 END,
                       CASE WHEN g % 2 = 1 THEN 1 + (g / 2 % 10000) / 100.0 ELSE 0 END,
                       CASE WHEN (g / 2) % 5 = 0 THEN 'USD' ELSE 'INR' END, '', '',
                       {voucher_day % {"v": f"g / {LINES_PER_VOUCHER} + 1"}}, true, '', '', ''
                FROM generate_series({start}, {min(start + step, lines) - 1}) g""")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(f"""
            INSERT INTO ledger_accountbalance (account_id, period_id, currency, project, debit, credit)
            SELECT l.account_id, v.period_id, l.currency, l.project, SUM(l.debit), SUM(l.credit)
            FROM ledger_voucherline l JOIN ledger_voucher v ON v.id = l.voucher_id
            WHERE l.voucher_id >= {low} GROUP BY 1, 2, 3, 4
            ON CONFLICT (account_id, period_id, currency, project)
            DO UPDATE SET debit = ledger_accountbalance.debit + EXCLUDED.debit,
                          credit = ledger_accountbalance.credit + EXCLUDED.credit""")
        cursor.execute(f"""
            INSERT INTO ledger_daybalance (account_id, day, currency, project, debit, credit)
            SELECT account_id, date, currency, project, SUM(debit), SUM(credit) FROM ledger_voucherline
            WHERE voucher_id >= {low} GROUP BY 1, 2, 3, 4
            ON CONFLICT (account_id, day, currency, project)
            DO UPDATE SET debit = ledger_daybalance.debit + EXCLUDED.debit,
                          credit = ledger_daybalance.credit + EXCLUDED.credit""")
        for table in ("ledger_voucher", "ledger_voucherline", "ledger_accountbalance", "ledger_daybalance"):
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would after a load: visibility map for
            # index-only reads


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
    parser.add_argument("--parts", default="posting,write,reports", help="which figures, comma-separated")
    args = parser.parse_args()
    os.environ.setdefault("LEDGER_POSTING_MODE", "manual")  # loading must not post; figure 2 sets it per run
    django_on_bench_database()
    _empty()
    print(yardstick())
    if "posting" in args.parts:
        posting(args.day_rows)
    if "write" in args.parts:
        write_path(args.write_rows)
    if "reports" in args.parts:
        reports(args.lines)
    print(yardstick())  # again at the end: the load moves during a long run


if __name__ == "__main__":
    main()
