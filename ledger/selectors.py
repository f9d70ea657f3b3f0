"""Reads of the ledger: what transactions say should be posted, what is posted, traceability, reports."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum

from analytics.models import TransactionRollup
from analytics.spans import cover
from ledger.choices import GLStatus, ReviewStatus, RuleSide, VoucherStatus
from ledger.events import EVENT_SOURCES, POSTED_STATUSES, events_of
from ledger.models import Account, AccountBalance, DayBalance, PostingRule, VoucherLine
from ledger.services.rules import rule_choose
from transactions.models import Transaction
from transactions.money import from_units, quantize_money


class PostingKey(NamedTuple):
    """What one amount is posted under: (business day, source, project, currency, event, rule id or None)."""

    day: date
    source: str
    project: str
    currency: str
    event: str
    rule_id: int | None


class Unmatched(NamedTuple):
    """An event no single rule takes: none matched, or ``tied`` rules matched equally."""

    key: PostingKey
    direction: str
    tied: tuple[int, ...]


def business_zone() -> ZoneInfo:
    return ZoneInfo(settings.LEDGER_TIME_ZONE)


def day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The UTC instants that start ``date_from`` and end ``date_to`` in the business time zone."""
    zone = business_zone()
    return (datetime.combine(date_from, time.min, tzinfo=zone),
            datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))


# Business days read per query: each day is a few pieces OR-ed together, a month of them is still a plain read.
DAYS_PER_READ = 31


def _days(first: date, last: date, *, step: int = 1):
    while first <= last:
        yield first
        first += timedelta(days=step)


def posting_targets(*, date_from: date, date_to: date) -> tuple[dict[PostingKey, Decimal], list[Unmatched]]:
    """What the transactions of the days say should be posted, per key, read from the transaction rollups.

    The write path keeps ``analytics``' rollups exact in the same database transaction as the rows (per source,
    project, status, currency and direction, at 15 minutes, hours and UTC days), so a business day of a million
    transactions is a few hundred rollup rows: each day is cut into the widest pieces that fit it (``cover``;
    business days start on the 15-minute grid in every time zone in use), and a piece's rows belong to the day
    its start falls in. Events no single rule takes are keyed with ``rule_id=None`` (they go to suspense) and
    listed as unmatched.
    """
    zone = business_zone()
    groups = defaultdict(lambda: [0, 0])
    for first in _days(date_from, date_to, step=DAYS_PER_READ):
        pieces = Q()
        for day in _days(first, min(first + timedelta(days=DAYS_PER_READ - 1), date_to)):
            for span, lo, hi in cover(*day_bounds(day, day)):
                pieces |= Q(span=span, slot__gte=lo, slot__lt=hi)
        rows = (TransactionRollup.objects.filter(pieces, status__in=POSTED_STATUSES)
                .values_list("slot", "source", "project", "currency", "direction", "status", "amount_e4", "fee_e4"))
        for slot, *group, amount, fee in rows.iterator(chunk_size=5_000):
            sums = groups[(slot.astimezone(zone).date(), *group)]
            sums[0] += amount
            sums[1] += fee
    rules = list(PostingRule.objects.filter(is_active=True))
    targets, unmatched = defaultdict(Decimal), {}
    for (day, source, project, currency, direction, status), (amount, fee) in groups.items():
        for event, value in events_of(direction=direction, status=status, amount=from_units(amount),
                                      fee=from_units(fee)):
            choice = rule_choose(rules, event=event, source=source, project=project, currency=currency,
                                 direction=direction)
            key = PostingKey(day, source, project, currency, event, choice.rule.pk if choice.rule else None)
            targets[key] += value
            if choice.rule is None:
                unmatched[key] = Unmatched(key, direction, tuple(rule.pk for rule in choice.tied))
    return dict(targets), list(unmatched.values())


def posted_amounts(*, date_from: date, date_to: date) -> dict[PostingKey, Decimal]:
    """What is already posted (or waiting in draft or review) per key: the sums of the keys' debit-side lines."""
    rows = (VoucherLine.objects.filter(key_day__gte=date_from, key_day__lte=date_to, rule_side=RuleSide.DEBIT)
            .exclude(voucher__status=VoucherStatus.CANCELLED)
            .values_list("key_day", "key_source", "project", "currency", "key_event", "rule_id")
            .annotate(debit=Sum("debit"), credit=Sum("credit")).order_by())
    return {PostingKey(*key): quantize_money(Decimal(debit) - Decimal(credit)) for *key, debit, credit in rows}


def line_transactions(line: VoucherLine):
    """The transactions behind a line posted from transactions: its key's filter, run again."""
    if line.key_day is None:
        return Transaction.objects.none()
    start, end = day_bounds(line.key_day, line.key_day)
    return Transaction.objects.filter(EVENT_SOURCES[line.key_event].q(), created_at__gte=start, created_at__lt=end,
                                      source=line.key_source, project=line.project, currency=line.currency)


def transaction_lines(transaction: Transaction):
    """The lines that post a transaction's events: those of its day, source, project, currency and events."""
    day = transaction.created_at.astimezone(business_zone()).date()
    events = [str(event) for event, source in EVENT_SOURCES.items()
              if source.direction == transaction.direction and transaction.status in source.statuses]
    return VoucherLine.objects.filter(key_day=day, key_source=transaction.source, project=transaction.project,
                                      currency=transaction.currency, key_event__in=events)


def clearing_subledger(*, source: str, currency: str, as_of: date) -> Decimal:
    """What a provider's transactions up to ``as_of`` say its clearing account holds: settled pay-ins minus
    pay-outs, refunds and fees (the same events the posting run posts, summed straight from the rows)."""
    _, end = day_bounds(as_of, as_of)
    rows = (Transaction.objects.filter(source=source, currency=currency, created_at__lt=end,
                                       status__in=POSTED_STATUSES)
            .values_list("direction", "status").annotate(amount=Sum("amount"), fee=Sum("fee")).order_by())
    signs = {"payin_settled": 1, "payin_fee": -1, "refund": -1, "payout_sent": -1, "payout_fee": -1}
    total = Decimal(0)
    for direction, status, amount, fee in rows:
        for event, value in events_of(direction=direction, status=status, amount=amount, fee=fee):
            total += signs[event] * Decimal(value)
    return quantize_money(total)



def gl_dates_moved(*, since: date) -> list[date]:
    """The recent dates already GL-reconciled whose balances a posting on ``since`` moved: those on or after it,
    within the last ``LEDGER_NIGHTLY_DAYS`` days (an old date is reconciled again only when asked)."""
    from ledger.models import GLReconciliationRun

    today = datetime.now(business_zone()).date()
    first = max(since, today - timedelta(days=settings.LEDGER_NIGHTLY_DAYS))
    return list(GLReconciliationRun.objects.filter(as_of__gte=first).values_list("as_of", flat=True).distinct()
                .order_by("as_of"))


def _period_code(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def balances_as_of(*, as_of: date, account_id: int | None = None, currency: str | None = None,
                   project: str | None = None) -> dict[tuple[int, str], tuple[Decimal, Decimal]]:
    """Posted (debit, credit) per (account, currency) up to and including ``as_of``: the kept balances of the
    periods before its month and of the days of its month up to it (rollups, never the lines)."""
    narrow = {key: value for key, value in
              (("account_id", account_id), ("currency", currency), ("project", project)) if value is not None}
    totals = defaultdict(lambda: [Decimal(0), Decimal(0)])
    before = (AccountBalance.objects.filter(period__code__lt=_period_code(as_of), **narrow)
              .values_list("account_id", "currency").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    month = (DayBalance.objects.filter(day__gte=as_of.replace(day=1), day__lte=as_of, **narrow)
             .values_list("account_id", "currency").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    for rows in (before, month):
        for account, currency_code, debit, credit in rows:
            totals[(account, currency_code)][0] += Decimal(debit)
            totals[(account, currency_code)][1] += Decimal(credit)
    return {key: (quantize_money(d), quantize_money(c)) for key, (d, c) in totals.items()}


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    currency: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Debit minus credit: positive is a debit balance."""
        return self.debit - self.credit


def trial_balance(*, as_of: date) -> tuple[list[TrialBalanceRow], dict[str, Decimal]]:
    """Every account's posted debits and credits up to ``as_of``, per currency, and per currency the sum of
    balances (zero when the books balance)."""
    sums = balances_as_of(as_of=as_of)
    accounts = Account.objects.in_bulk({account_id for account_id, _ in sums})
    rows = sorted((TrialBalanceRow(accounts[a], c, d, cr) for (a, c), (d, cr) in sums.items()),
                  key=lambda row: (row.currency, row.account.code))
    totals = defaultdict(Decimal)
    for row in rows:
        totals[row.currency] += row.balance
    return rows, dict(totals)


STATEMENT_FIELDS = ("id", "date", "voucher_id", "voucher__number", "description", "project", "debit", "credit")


def statement_page(*, account: Account, currency: str, date_from: date, date_to: date, limit: int,
                   after: tuple[date, int, Decimal] | None = None) -> tuple[list[dict], tuple | None]:
    """One page of an account's posted lines in ``currency`` with the running balance, and the position after it.

    Keyset paging: a page continues after (date, line id) with the running balance carried in the position,
    so page 1,000 reads what page 1 reads (one index range of ``limit`` rows).
    """
    lines = VoucherLine.objects.filter(account=account, currency=currency, is_posted=True, date__lte=date_to)
    if after is None:
        opening = balances_as_of(as_of=date_from - timedelta(days=1), account_id=account.pk, currency=currency)
        debit, credit = opening.get((account.pk, currency), (Decimal(0), Decimal(0)))
        running = debit - credit
        lines = lines.filter(date__gte=date_from)
    else:
        last_date, last_id, running = after
        # ``date >= last`` first: PostgreSQL starts the index range there (an OR alone would read from the start).
        lines = lines.filter(Q(date__gt=last_date) | Q(date=last_date, id__gt=last_id), date__gte=last_date)
    rows = list(lines.order_by("date", "id").values(*STATEMENT_FIELDS)[:limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    for row in rows:
        running += Decimal(row["debit"]) - Decimal(row["credit"])
        row["balance"] = quantize_money(running)
    position = (rows[-1]["date"], rows[-1]["id"], quantize_money(running)) if more else None
    return rows, position


def statement_count(*, account: Account, currency: str, date_from: date, date_to: date) -> int:
    """How many posted lines the statement of the range has (an index-only count)."""
    return VoucherLine.objects.filter(account=account, currency=currency, is_posted=True, date__gte=date_from,
                                      date__lte=date_to).count()


def dashboard_card(*, day: date) -> dict:
    """The ledger on the admin home: the day's vouchers from transactions by status, refusals and amounts sent to
    suspense still open (incidents), and the latest GL reconciliation's accounts not reconciled nor reviewed."""
    from ledger.models import GLReconciliationResult, GLReconciliationRun, Voucher
    from monitoring.choices import IncidentKind
    from monitoring.models import AlertIncident

    vouchers = dict(Voucher.objects.filter(source_day=day).values_list("status").annotate(n=Count("id")).order_by())
    incidents = AlertIncident.objects.filter(closed_at__isnull=True, kind__in=[IncidentKind.LEDGER_REFUSED,
                                                                              IncidentKind.LEDGER_UNMATCHED])
    run = GLReconciliationRun.objects.filter(status="done").order_by("-as_of", "-id").first()
    open_results = (GLReconciliationResult.objects.filter(run=run, status=GLStatus.UNRECONCILED,
                                                          review_status=ReviewStatus.OPEN)
                    .select_related("account") if run else GLReconciliationResult.objects.none())
    return {"day": day, "posted": vouchers.get(VoucherStatus.POSTED, 0),
            "waiting": vouchers.get(VoucherStatus.DRAFT, 0) + vouchers.get(VoucherStatus.REVIEW, 0),
            "incidents": list(incidents.values("kind", "subject", "last_detail")[:5]),
            "gl_run": run, "unreconciled": [f"{r.account.code} {r.currency} (variance {r.variance})"
                                            for r in open_results[:10]]}
