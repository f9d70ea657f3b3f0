"""Metrics of transactions (SPEC 8), read from the rollups, never from the transactions table.

Every selector takes a ``MetricsQuery`` (period, filters, projects the caller may see, reporting
currency) and returns plain data for the API and the dashboard alike.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate

from analytics.fx import Converter
from analytics.models import TransactionRollup
from analytics.periods import FINER_THAN_ROLLUPS, Period, buckets
from analytics.spans import Span, cover, signed_cover
from analytics.totals import Totals, change_pct, share
from common.sources import source_names
from reconciliation.selectors import payments as reconciliation_payments
from transactions.choices import Status
from transactions.money import to_units
from transactions.selectors import slot_totals, utc_midnight


@dataclass(frozen=True)
class MetricsQuery:
    """What to count: a period, optional filters, the caller's projects, an optional reporting currency."""

    period: Period
    source: str | None = None
    projects: frozenset[str] | None = None  # None: every project
    status: str | None = None
    direction: str | None = None
    currency: str | None = None  # report amounts converted into this currency

    def over(self, period: Period) -> "MetricsQuery":
        return MetricsQuery(period, self.source, self.projects, self.status, self.direction, self.currency)

    def cache_key(self) -> str:
        projects = ",".join(sorted(self.projects)) if self.projects is not None else "*"
        return (f"{self.period.first_day}|{self.period.last_day}|{self.period.tz.key}|{self.source}|{projects}|"
                f"{self.status}|{self.direction}|{self.currency}")


def rollups(query: MetricsQuery):
    """The rollup rows that cover the query's period exactly once (widest pieces first, see ``cover``)."""
    pieces = Q()
    for span, lo, hi in cover(query.period.start, query.period.end):
        pieces |= Q(span=span, slot__gte=lo, slot__lt=hi)
    return _filtered(TransactionRollup.objects.filter(pieces), query)


def _filtered(rows, query: MetricsQuery):
    if query.source:
        rows = rows.filter(source=query.source)
    if query.projects is not None:
        rows = rows.filter(project__in=query.projects)
    if query.status:
        rows = rows.filter(status=query.status)
    if query.direction:
        rows = rows.filter(direction=query.direction)
    return rows


def _grouped(query: MetricsQuery, *fields: str) -> list[dict]:
    """Sums of count and amount per ``fields`` and currency (and per UTC day when converting)."""
    rows = rollups(query)
    keys = [*fields, "currency"]
    if query.currency:
        rows, keys = rows.annotate(day=TruncDate("slot")), [*keys, "day"]
    return list(rows.values(*keys).annotate(n=Sum("count"), units=Sum("amount_e4")).order_by())


def _converter(query: MetricsQuery, rows: list[dict]) -> Converter | None:
    if not query.currency:
        return None
    return Converter(query.currency, currencies={row["currency"] for row in rows}, last_day=query.period.last_day)


def _add(totals: Totals, row: dict) -> None:
    totals.add(count=int(row["n"]), units=int(row["units"]), currency=row["currency"], day=row.get("day"))


def overview(query: MetricsQuery) -> dict:
    """Totals of the period by status and source, conversion, average ticket, and the change
    against the period of equal length just before."""
    current, previous = _summary(query), _summary(query.over(query.period.previous()))
    return {
        "period": query.period.as_dict(),
        "total": current["total"].money(),
        "by_status": {status: totals.money() for status, totals in current["by_status"].items()},
        "by_source": {source: totals.money() for source, totals in current["by_source"].items()},
        "by_direction": {direction: totals.money() for direction, totals in current["by_direction"].items()},
        "conversion_rate": current["conversion_rate"],
        "avg_ticket": current["success"].average(),
        "trends": _trends(current, previous, query.period.previous()),
        "payments": payments(query),
    }


def payments(query: MetricsQuery) -> dict | None:
    """Payments of the period with a reconciled pair counted once (``reconciliation.selectors.payments``:
    reconciled days only, the period's days read as reconciliation business days). None under a status or
    direction filter, which a pair of two providers' records does not have one value of."""
    if query.status or query.direction:
        return None
    return reconciliation_payments(date_from=query.period.first_day, date_to=query.period.last_day,
                                   projects=query.projects, source=query.source)


def _summary(query: MetricsQuery) -> dict:
    rows = _grouped(query, "status", "source", "direction")
    converter = _converter(query, rows)
    total = Totals(converter)
    by_status = {status: Totals(converter) for status in Status.values}
    by_source = {source: Totals(converter) for source in sorted(source_names(sink="transactions"))}
    by_direction = {"payin": Totals(converter), "payout": Totals(converter)}
    for row in rows:
        for totals in (total, by_status[row["status"]], by_source[row["source"]], by_direction[row["direction"]]):
            _add(totals, row)
    success = by_status[Status.SUCCESS]
    return {"total": total, "by_status": by_status, "by_source": by_source, "by_direction": by_direction,
            "success": success, "conversion_rate": share(success.count, total.count)}


def _trends(current: dict, previous: dict, previous_period: Period) -> dict:
    now_amount, now_currency = current["total"].amount()
    then_amount, then_currency = previous["total"].amount()
    now_ticket, then_ticket = current["success"].average(), previous["success"].average()
    comparable = now_currency == then_currency
    return {
        "previous_period": previous_period.as_dict(),
        "count": {"previous": previous["total"].count,
                  "change_pct": change_pct(current["total"].count, previous["total"].count)},
        "amount": {"previous": previous["total"].money(),
                   "change_pct": change_pct(now_amount, then_amount) if comparable else None},
        "conversion_rate": {"previous": previous["conversion_rate"],
                            "change_pct": change_pct(current["conversion_rate"], previous["conversion_rate"])},
        "avg_ticket": {"previous": then_ticket,
                       "change_pct": change_pct(now_ticket["amount"], then_ticket["amount"]) if comparable else None},
    }


def by_project(query: MetricsQuery) -> list[dict]:
    """Per project: count, amounts, successful count and success rate; largest first."""
    rows = _grouped(query, "project", "status")
    converter = _converter(query, rows)
    projects: dict[str, tuple[Totals, Totals]] = defaultdict(lambda: (Totals(converter), Totals(converter)))
    for row in rows:
        everything, success = projects[row["project"]]
        _add(everything, row)
        if row["status"] == Status.SUCCESS:
            _add(success, row)
    result = [
        {"project": project, **everything.money(), "success_count": success.count,
         "success_amount": success.money()["amount"], "success_rate": share(success.count, everything.count)}
        for project, (everything, success) in projects.items()
    ]
    return sorted(result, key=lambda item: (-item["count"], item["project"]))


def by_status(query: MetricsQuery) -> list[dict]:
    """Per status: count, share of all transactions, amounts (every status listed, zeros included)."""
    rows = _grouped(query, "status")
    converter = _converter(query, rows)
    statuses = {status: Totals(converter) for status in Status.values}
    for row in rows:
        _add(statuses[row["status"]], row)
    total = sum(totals.count for totals in statuses.values())
    return [{"status": status, **totals.money(), "share": share(totals.count, total)}
            for status, totals in statuses.items()]


def trends(query: MetricsQuery, *, granularity: str) -> list[dict]:
    """One point per 5 or 15 minutes, hour, day or week of the period (zeros included), in the period's
    time zone."""
    edges = buckets(query.period, granularity)
    if granularity in FINER_THAN_ROLLUPS:
        rows = _bucketed_transactions(query, edges, minutes=FINER_THAN_ROLLUPS[granularity])
    else:
        rows = _bucketed(query, edges)
    converter = _converter(query, rows)
    points = [(Totals(converter), [0, 0]) for _ in edges]
    for row in rows:
        totals, outcome = points[row["bucket"]]
        _add(totals, row)
        if row["status"] == Status.SUCCESS:
            outcome[0] += int(row["n"])
        elif row["status"] == Status.FAILED:
            outcome[1] += int(row["n"])
    return [{"timestamp": start, **totals.money(), "success_count": success, "failed_count": failed}
            for (start, _), (totals, (success, failed)) in zip(edges, points, strict=True)]


def _bucketed(query: MetricsQuery, edges: list[tuple[datetime, datetime]]) -> list[dict]:
    """Rollup sums per bucket, status and currency (and UTC day when converting), in one statement.

    Each bucket is cut into the pieces that read fewest rows (``signed_cover``: some are taken
    away), and the pieces go in as a VALUES list joined by width and range to the query's rollup
    rows: the database finds each piece's rows through the (span, slot) index, on PostgreSQL and
    SQLite alike, and local days of any time zone, daylight saving included, are just other
    boundaries. Groups whose pieces cancel out (nothing of that status and currency in the bucket)
    are left out, as a plain sum would have no row for them.
    """
    planned = [(i, span, lo, hi, sign) for i, (start, end) in enumerate(edges)
               for span, lo, hi, sign in signed_cover(start, end)]
    # Pieces taken away may reach past the period (into the UTC days around it).
    reach = (min((lo for _, _, lo, _, _ in planned), default=query.period.start),
             max((hi for _, _, _, hi, _ in planned), default=query.period.end))
    period = TransactionRollup.objects.filter(slot__gte=reach[0], slot__lt=reach[1])
    inner_sql, inner_params = _filtered(period, query).values(
        "span", "slot", "status", "currency", "count", "amount_e4").query.sql_with_params()
    pieces_sql, pieces_params = _pieces_table(planned)
    day_sql, day_params = "", ()
    if query.currency:
        day_sql, day_params = connection.ops.datetime_cast_date_sql("r.slot", (), "UTC")
        day_sql = f", {day_sql}"
    sql = (f"WITH pieces (i, span, lo, hi, sign) AS ({pieces_sql}) "
           f"SELECT p.i, r.status, r.currency{day_sql}, SUM(r.count * p.sign), SUM(r.amount_e4 * p.sign) "
           f"FROM ({inner_sql}) r JOIN pieces p ON r.span = p.span AND r.slot >= p.lo AND r.slot < p.hi "
           f"GROUP BY {'1, 2, 3, 4' if day_sql else '1, 2, 3'} HAVING SUM(r.count * p.sign) <> 0")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_ONE_INDEX_RANGE_PER_PIECE)
        cursor.execute(sql, [*pieces_params, *day_params, *inner_params])
        found = cursor.fetchall()
    if query.currency:
        return [{"bucket": i, "status": s, "currency": c, "day": _as_date(d), "n": n, "units": u}
                for i, s, c, d, n, u in found]
    return [{"bucket": i, "status": s, "currency": c, "n": n, "units": u} for i, s, c, n, u in found]


def _bucketed_transactions(query: MetricsQuery, edges: list[tuple[datetime, datetime]], *,
                           minutes: int) -> list[dict]:
    """``_bucketed``'s sums for buckets finer than any rollup: the transactions' own totals per slot of
    ``minutes`` (``transactions.selectors.slot_totals``, the rollups' source of truth), one slot per bucket.

    Every filter but the projects' is a group column there, so groups are filtered as they are read. The
    caller bounds the period to a few days (``analytics.params``): this reads every transaction in it.
    """
    index = {start: i for i, (start, _) in enumerate(edges)}
    wanted = {"source": query.source, "status": query.status, "direction": query.direction}
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0])
    for source, project, status, currency, direction, slot, count, amount, _ in slot_totals(
            start=query.period.start, end=query.period.end, minutes=minutes):
        group = {"source": source, "status": status, "direction": direction}
        if any(value and group[name] != value for name, value in wanted.items()):
            continue
        if query.projects is not None and project not in query.projects:
            continue
        key = (index[slot], status, currency, slot.astimezone(UTC).date() if query.currency else None)
        sums[key][0] += count
        sums[key][1] += to_units(Decimal(amount))
    return [{"bucket": i, "status": status, "currency": currency, "n": n, "units": units,
             **({"day": day} if query.currency else {})}
            for (i, status, currency, day), (n, units) in sums.items() if n]


def _pieces_table(planned: list[tuple]) -> tuple[str, list]:
    """The pieces as a table: five arrays unnested on PostgreSQL (a month of hours is thousands of
    values, and one parameter per value costs the driver more than the query), a VALUES list elsewhere."""
    if connection.vendor == "postgresql":
        columns = list(zip(*planned, strict=True)) if planned else [[] for _ in range(5)]
        return ("SELECT * FROM unnest(%s::int[], %s::int[], %s::timestamptz[], %s::timestamptz[], %s::int[])",
                [list(column) for column in columns])
    adapt = connection.ops.adapt_datetimefield_value
    values = [(i, span, adapt(lo), adapt(hi), sign) for i, span, lo, hi, sign in planned]
    return f"VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(values))}", [v for piece in values for v in piece]


# Range joins defeat PostgreSQL's estimates: it would hash the pieces by width and test every rollup
# row of the period against every piece of its width. The plan wanted is one (span, slot) index
# range scan per piece; these settings last until the end of the read's transaction.
_ONE_INDEX_RANGE_PER_PIECE = (
    "SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"
)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def transactions_count(*, projects: frozenset[str] | None = None, source: str | None = None,
                       status: str | None = None, from_date: date | None = None, to_date: date | None = None) -> int:
    """How many transactions match ``transactions.selectors.transactions_matching``'s filters (without a
    search), read from the rollups: exactly the table's count (rollups commit with the rows), in a few
    milliseconds where counting ten million rows takes seconds. The dates are UTC days, inclusive."""
    start = utc_midnight(from_date) if from_date else None
    end = utc_midnight(to_date) + timedelta(days=1) if to_date else None
    rows = TransactionRollup.objects.filter(span=Span.DAY)  # whole UTC days: one row per group and day
    for name, value in (("slot__gte", start), ("slot__lt", end), ("source", source), ("status", status),
                        ("project__in", projects)):
        if value is not None:
            rows = rows.filter(**{name: value})
    return int(rows.aggregate(n=Sum("count"))["n"] or 0)
