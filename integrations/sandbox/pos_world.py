"""The points-of-sale world the 1C and iiko sandboxes render: departments and their orders, from a seed.

Organizations own departments (restaurants and office cafés; some only open in summer). A department's
day has an expected revenue (its base, times its weekday profile, the season of the year, holidays, a
slow trend and noise); that revenue is split into orders with open and close times in the department's
local time. Late orders close after midnight, on the next day; a few orders are deleted (voided) and
are not sales. Everything is computed from (seed, department, day): nothing is stored, and the ground
truth (``daily_truth``, ``hourly_truth``) is the same orders summed by close time.
"""

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from forecasting.calendar import HOLIDAYS
from integrations.sandbox.rand import mix, unit

# Salts of the world's draws: each field its own stream.
_S_BASE, _S_TICKET, _S_KIND, _S_NOISE, _S_ORDER, _S_ID = 1, 2, 3, 4, 5, 6
DEPARTMENTS_PER_ORGANIZATION = 10
# Every SEASONAL_EVERY-th department is a summer terrace: open May to September only.
SEASONAL_EVERY = 7
SEASON_MONTHS = range(5, 10)
# Weekday profiles (Monday first): office cafés live on weekdays, restaurants on Friday and Saturday.
WEEKLY = {"cafe": (1.15, 1.1, 1.1, 1.1, 1.05, 0.55, 0.45), "restaurant": (0.75, 0.8, 0.85, 0.95, 1.3, 1.5, 1.1)}
# How each kind of department takes a holiday (the holidays are the product's calendar's).
HOLIDAY_FACTOR = {"cafe": 0.35, "restaurant": 1.6}
TREND_PER_YEAR = 0.12  # revenue grows 12 % a year
NOISE = 0.10  # day-to-day noise, multiplicative, about ±10 %
DELETED_OF_256 = 5  # about 2 % of orders are deleted (voided)


def is_holiday(day: date) -> bool:
    """The world's public holidays (the forecasting calendar uses the same list)."""
    return (day.month, day.day) in HOLIDAYS


class Order(NamedTuple):
    """One order as the POS system keeps it: times are the department's local time (naive)."""

    department: str  # department code
    number: int
    opened_at: datetime
    closed_at: datetime
    amount: Decimal
    deleted: bool


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    parent: str  # the organization's code
    kind: str  # cafe | restaurant
    seasonal: bool
    base: float  # expected revenue of an ordinary day at the world's start
    ticket: float  # average order amount
    iiko_id: str


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    company: str
    bin: str
    iiko_id: str


class PosWorld:
    """``departments`` departments under organizations of ten, with orders for ``days`` days from ``start``."""

    def __init__(self, *, seed: int = 7, start: date, days: int, departments: int = 50):
        if days < 1 or departments < 1:
            raise ValueError("a world needs at least one day and one department")
        self.seed, self.start, self.days, self.size = seed, start, days, departments

    @property
    def end(self) -> date:
        """The day after the last day with orders opened."""
        return self.start + timedelta(days=self.days)

    @cached_property
    def organizations(self) -> list[Organization]:
        count = math.ceil(self.size / DEPARTMENTS_PER_ORGANIZATION)
        return [Organization(code=f"ORG{i:02d}", name=f"Organization {i}", company=f"Company {i} LLP",
                             bin=f"{mix(self.seed, i, _S_ID) % 10**12:012d}", iiko_id=self._uuid("org", i))
                for i in range(1, count + 1)]

    @cached_property
    def departments(self) -> list[Department]:
        result = []
        for i in range(1, self.size + 1):
            kind = "restaurant" if mix(self.seed, i, _S_KIND) % 100 < 60 else "cafe"
            result.append(Department(
                code=f"D{i:03d}", name=f"{kind.title()} {i}",
                parent=f"ORG{(i - 1) // DEPARTMENTS_PER_ORGANIZATION + 1:02d}", kind=kind,
                seasonal=i % SEASONAL_EVERY == 0,
                base=20_000 + 100_000 * unit(self.seed, i, _S_BASE),
                ticket=600 + 1_900 * unit(self.seed, i, _S_TICKET), iiko_id=self._uuid("dep", i),
            ))
        return result

    @cached_property
    def by_code(self) -> dict[str, Department]:
        return {department.code: department for department in self.departments}

    def _uuid(self, kind: str, i: int) -> str:
        salt = 100 if kind == "org" else 200
        return str(uuid.UUID(int=(mix(self.seed, i, salt) << 64) | mix(self.seed, i, salt + 1)))

    def is_open(self, department: Department, day: date) -> bool:
        return not department.seasonal or day.month in SEASON_MONTHS

    def expected(self, department: Department, day: date) -> float:
        """The day's expected revenue before noise: what a perfect forecast of the shape would say."""
        if not self.is_open(department, day):
            return 0.0
        years = (day - self.start).days / 365.25
        yearly = 1 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 80) / 365.25)
        holiday = HOLIDAY_FACTOR[department.kind] if is_holiday(day) else 1.0
        return department.base * WEEKLY[department.kind][day.weekday()] * yearly * holiday * (
            1 + TREND_PER_YEAR * years)

    def orders(self, department: Department, day: date) -> list[Order]:
        """The orders opened at ``department`` on ``day`` (deleted ones included)."""
        if not self.start <= day < self.end:
            return []
        expected = self.expected(department, day)
        if expected <= 0:
            return []
        d, k = int(department.code[1:]), (day - self.start).days
        key = d * 100_000 + k
        noise = math.exp(NOISE * _gauss(self.seed, key, _S_NOISE))
        count = max(1, round(expected * noise / department.ticket))
        opened_from, opened_hours = (8, 10) if department.kind == "cafe" else (12, 12)
        midnight = datetime(day.year, day.month, day.day)
        result = []
        for j in range(count):
            draw = mix(self.seed, key * 1_000 + j, _S_ORDER)
            opened = midnight + timedelta(hours=opened_from, seconds=(draw & 0xFFFFFF) % (opened_hours * 3600))
            closed = opened + timedelta(minutes=15 + (draw >> 24 & 0xFFFF) % 165)
            amount = Decimal(round(department.ticket * (0.4 + 1.2 * ((draw >> 40 & 0xFFFF) / 65536)) * 100)) / 100
            deleted = (draw >> 56) < DELETED_OF_256
            result.append(Order(department.code, k * 1_000 + j + 1, opened, closed, amount, deleted))
        return result

    def orders_opened(self, first: date, last_exclusive: date) -> list[Order]:
        """Every order opened in [first, last_exclusive), department by department, day by day."""
        result = []
        for department in self.departments:
            day = max(first, self.start)
            while day < min(last_exclusive, self.end):
                result.extend(self.orders(department, day))
                day += timedelta(days=1)
        return result

    def sales(self, first: date, last_exclusive: date) -> dict[tuple[str, date, int], tuple[Decimal, int]]:
        """Ground truth: (department, close day, close hour) → (amount, orders), deleted orders left out."""
        truth: dict = defaultdict(lambda: [Decimal(0), 0])
        for order in self.orders_opened(first - timedelta(days=1), last_exclusive):
            day = order.closed_at.date()
            if order.deleted or not first <= day < last_exclusive:
                continue
            cell = truth[(order.department, day, order.closed_at.hour)]
            cell[0] += order.amount
            cell[1] += 1
        return {key: (amount, orders) for key, (amount, orders) in truth.items()}

    def daily_truth(self, first: date, last_exclusive: date) -> dict[tuple[str, date], tuple[Decimal, int]]:
        """Ground truth per (department, day): the hourly truth summed."""
        daily: dict = defaultdict(lambda: [Decimal(0), 0])
        for (code, day, _hour), (amount, orders) in self.sales(first, last_exclusive).items():
            daily[(code, day)][0] += amount
            daily[(code, day)][1] += orders
        return {key: (amount, orders) for key, (amount, orders) in daily.items()}


def _gauss(seed: int, index: int, salt: int) -> float:
    """A standard normal draw (Box–Muller over two uniform draws)."""
    u1 = max(unit(seed, index, salt), 1e-12)
    u2 = unit(seed, index, salt + 50)
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
