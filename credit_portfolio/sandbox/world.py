"""The credit portfolio's deterministic world: organizations, banks, contracts and their operations.

Record *i* of a kind depends only on (seed, kind, i, revision), so any process renders the same
files and the same truth. ``size`` is the number of repayments; receipts are a fifth of that, and
each repayment has a principal and an interest line (every seventh splits its principal into two
equal lines, which only the line number tells apart).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

ORGANIZATIONS = ("ООО Альфа Финанс", "АО Бета Строй", "ООО Гамма Трейд")
ORGANIZATION_CODES = ("АФ", "БС", "ГТ")
BANKS = ("ПАО Сбербанк", "Банк ВТБ (ПАО)", "АО Альфа-Банк")
CONTRACTS_PER_ORGANIZATION = 3
CENT = Decimal("0.01")
# A corrected file (revision 1) changes every tenth receipt of the first organization by this much,
# and no longer holds every thirtieth (``i % 30 == DROPPED``): rows an import must delete.
CORRECTION = Decimal("100.00")
DROPPED = 15


@dataclass(frozen=True)
class Contract:
    organization: int
    name: str
    bank: str
    signed: date
    account: str


@dataclass(frozen=True)
class Receipt:
    organization: int
    document: str
    day: date
    contract: Contract
    amount: Decimal
    fee: Decimal


@dataclass(frozen=True)
class Expense:
    organization: int
    document: str
    day: date
    contract: Contract
    principal_lines: tuple[Decimal, ...]
    interest: Decimal
    unconfirmed: bool

    @property
    def principal(self) -> Decimal:
        return sum(self.principal_lines, Decimal("0"))

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


class World:
    """Every operation of the sandbox, by organization; ``revision`` 1 is the corrected export."""

    def __init__(self, *, seed: int = 42, size: int = 3_000, start: date = date(2025, 1, 1), days: int = 365,
                 revision: int = 0):
        if size < 1 or days < 1:
            raise ValueError("size and days must be at least 1")
        self.seed, self.size, self.start, self.days, self.revision = seed, size, start, days, revision

    @cached_property
    def contracts(self) -> list[Contract]:
        rng = random.Random(f"{self.seed}:contracts")
        return [
            Contract(org, f"Кредитный договор № {ORGANIZATION_CODES[org]}-{n + 1:02d}/КЛ",
                     BANKS[(org + n) % len(BANKS)], date(2024, 1 + n * 3, 10 + org),
                     f"40702810{rng.randrange(10**12):012d}, {BANKS[(org + n) % len(BANKS)]}")
            for org in range(len(ORGANIZATIONS)) for n in range(CONTRACTS_PER_ORGANIZATION)
        ]

    @property
    def receipt_count(self) -> int:
        return max(len(ORGANIZATIONS), self.size // 5)

    def receipts(self, organization: int | None = None):
        for i in range(self.receipt_count):
            dropped = self.revision >= 1 and i % 30 == DROPPED  # the first organization's (15 % 3 == 0)
            if (organization is None or i % len(ORGANIZATIONS) == organization) and not dropped:
                yield self.receipt(i)

    def expenses(self, organization: int | None = None):
        for i in range(self.size):
            if organization is None or i % len(ORGANIZATIONS) == organization:
                yield self.expense(i)

    def receipt(self, i: int) -> Receipt:
        rng = random.Random(f"{self.seed}:receipt:{i}")
        org = i % len(ORGANIZATIONS)
        day = self.start + timedelta(days=rng.randrange(self.days))
        amount = Decimal(rng.randrange(100_000_00, 50_000_000_00)) * CENT
        if self.revision >= 1 and org == 0 and i % 10 == 0:
            amount += CORRECTION
        fee = Decimal(rng.randrange(0, 5_000_00)) * CENT
        return Receipt(org, f"Поступление на расчетный счет {ORGANIZATION_CODES[org]}П-{i + 1:08d} от {day:%d.%m.%Y}",
                       day, self._contract(org, rng), amount, fee)

    def expense(self, i: int) -> Expense:
        rng = random.Random(f"{self.seed}:expense:{i}")
        org = i % len(ORGANIZATIONS)
        day = self.start + timedelta(days=rng.randrange(self.days))
        principal = Decimal(rng.randrange(10_000_00, 5_000_000_00)) * CENT
        lines = (principal, principal) if i % 7 == 3 else (principal,)
        interest = Decimal(rng.randrange(1_000_00, 500_000_00)) * CENT
        return Expense(org, f"Списание с расчетного счета {ORGANIZATION_CODES[org]}С-{i + 1:08d} от {day:%d.%m.%Y}",
                       day, self._contract(org, rng), lines, interest, rng.random() < 0.05)

    def _contract(self, org: int, rng: random.Random) -> Contract:
        return self.contracts[org * CONTRACTS_PER_ORGANIZATION + rng.randrange(CONTRACTS_PER_ORGANIZATION)]
