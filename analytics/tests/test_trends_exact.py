"""Trends equal a direct count over the transactions, in any time zone and width.

The trend selector reads signed rollup pieces (some added, some taken away, see
``analytics.spans.signed_cover``), and 5-minute points from the transactions themselves; random
payments at random minutes check that every bucket still holds exactly its own payments.
"""

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from analytics.periods import Period
from analytics.selectors import MetricsQuery, trends
from conftest import build_row
from transactions.models import Transaction
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
FIRST = datetime(2026, 3, 6, tzinfo=UTC)  # the days around 8 March (New York's switch to summer time)


@pytest.fixture
def payments():
    rng = random.Random(11)
    rows = []
    for i in range(400):
        created = FIRST + timedelta(minutes=rng.randrange(5 * 24 * 60), seconds=rng.randrange(60))
        rows.append(build_row(source_id=f"t{i}", created_at=created, updated_at=created,
                              status=rng.choice(["success", "failed", "pending"]),
                              currency=rng.choice(["INR", "USD"]),
                              amount=Decimal(rng.randrange(100, 100_000)) / 100))
    transactions_upsert(rows=rows)


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "UTC"])
@pytest.mark.parametrize("granularity", ["day", "hour", "5min"])
def test_trend_points_hold_exactly_their_own_payments(payments, zone, granularity):
    tz = ZoneInfo(zone)
    # 5 minutes are read from the transactions, over two days at most: 7-8 March (New York's switch is the 8th).
    period = Period(date(2026, 3, 7), date(2026, 3, 8 if granularity == "5min" else 9), tz)
    points = trends(MetricsQuery(period=period), granularity=granularity)
    assert len(points) == {"day": 3, "hour": 72, "5min": 576}[granularity] - (
        (1 if granularity == "hour" else 12 if granularity == "5min" else 0) if zone == "America/New_York" else 0)
    expected_counts, expected_amounts = Counter(), defaultdict(Decimal)
    for t in Transaction.objects.filter(created_at__gte=period.start, created_at__lt=period.end):
        local = t.created_at.astimezone(tz)
        start = local.replace(minute=local.minute - local.minute % 5 if granularity == "5min" else 0, second=0,
                              microsecond=0)
        start = start.replace(hour=0) if granularity == "day" else start
        key = start.astimezone(UTC)
        expected_counts[key, t.status] += 1
        expected_amounts[key, t.currency] += t.amount
    assert sum(point["count"] for point in points) == sum(expected_counts.values()) > 0
    for point in points:
        stamp = point["timestamp"]
        assert point["count"] == sum(n for (key, _), n in expected_counts.items() if key == stamp), stamp
        assert point["success_count"] == expected_counts[stamp, "success"]
        assert point["failed_count"] == expected_counts[stamp, "failed"]
        assert point["by_currency"] == {currency: amount for (key, currency), amount in expected_amounts.items()
                                        if key == stamp}
