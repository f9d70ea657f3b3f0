"""The payment world every sandbox renders: payments computed from (seed, index), nothing stored.

Payment *i* is spread evenly over ``days`` days from ``start`` (UTC), so the world's clock decides
what a provider has "seen" so far: a payment appears once its creation time has passed, and a
payment that changes (an open status that later completes) shows its new state, with a new
update cursor, once its change time has passed. ``91game`` payments also exist on PayShack, with
planned differences (missing on one side, another amount or status, a key used twice) whose
right answers ``truth`` reports.
"""

import bisect
from array import array
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from integrations.sandbox.rand import Weighted, bits, mix_at, mix_base

PROJECTS = (("91game", 50), ("monetix", 30), ("caroussel", 20))
CURRENCIES = {
    "91game": (("INR", 1),),
    "monetix": (("EUR", 40), ("USD", 40), ("INR", 20)),
    "caroussel": (("USD", 50), ("KZT", 50)),
}
COUNTRIES = {"INR": "IN", "EUR": "DE", "USD": "US", "KZT": "KZ"}
FINAL_STATUSES = (("success", 75), ("fail", 15), ("in_process", 7), ("user_input_required", 3))
METHODS = (("upi", 50), ("card", 30), ("netbanking", 15), ("wallet", 5))
FIRST_NAMES = ("Asha", "Ravi", "Meera", "Arjun", "Lena", "Tom", "Aigerim", "Nurlan", "Sofia", "Karim")
LAST_NAMES = ("Rao", "Iyer", "Khan", "Singh", "Weber", "Smith", "Sadykova", "Abenov", "Costa", "Haddad")

# How the 91game side of PayShack differs from Vima (weights out of 1000).
PRESENCE = (("both", 900), ("vima_only", 30), ("payshack_only", 30), ("amount", 15), ("status", 15), ("duplicate", 10))
# Share of payments that change after first delivery, out of 100.
CHANGED_PERCENT = 10
MAX_CHANGE_DELAY_S = 6 * 3600
MAX_PAYSHACK_OFFSET_S = 600

# A payment takes four 64-bit draws, each split into fields (``bits``): computing one is a few
# microseconds, which is what lets a sandbox serve tens of thousands of records a second.
_S_TIME, _S_SHAPE, _S_MONEY, _S_PARTIES, _S_DELAY = 1, 2, 3, 4, 8
_PROJECTS = Weighted(PROJECTS)
_CURRENCIES = {project: Weighted(table) for project, table in CURRENCIES.items()}
_STATUSES, _FINAL_ONLY = Weighted(FINAL_STATUSES), Weighted(FINAL_STATUSES[:2])
_METHODS, _PRESENCE = Weighted(METHODS), Weighted(PRESENCE)
_JITTER_BITS = 40  # of the time draw; its top 16 bits choose the status
_JITTER_MASK = (1 << _JITTER_BITS) - 1


class Payment(NamedTuple):
    """One payment of the world, as it truly is; providers render (and sometimes distort) it.

    A named tuple rather than a frozen dataclass: a sandbox builds one per record it serves, and a
    tuple is built several times faster.
    """

    index: int
    project: str
    direction: str  # payin | payout
    currency: str
    amount_minor: int
    fee_minor: int
    final_status: str  # in Vima's words
    created_at: datetime
    changed_at: datetime | None  # when an open status completes; None if it never changes
    key: str  # the matching key: Vima client_operation_id (or c_id), PayShack orderId
    key_in_c_id: bool  # Vima carries the key only in identifiers.c_id
    payer_index: int
    method: str
    presence: str  # both | vima_only | payshack_only | amount | status | duplicate (91game only)
    payshack_offset_s: int

    def status_at(self, moment: datetime) -> str:
        if self.changed_at is not None and moment < self.changed_at:
            return "in_process"
        return self.final_status

    @property
    def payshack_created_at(self) -> datetime:
        """When PayShack records it: a few minutes after Vima, in whole seconds (PayShack's precision)."""
        return (self.created_at + timedelta(seconds=self.payshack_offset_s)).replace(microsecond=0)

    @property
    def payshack_changed_at(self) -> datetime | None:
        """When PayShack sees the open status complete: Vima's change time shifted by the same offset."""
        if self.changed_at is None:
            return None
        return (self.changed_at + timedelta(seconds=self.payshack_offset_s)).replace(microsecond=0)

    @property
    def payshack_amount_minor(self) -> int:
        """PayShack's amount: Vima's, except for planned amount discrepancies (1% + 1.50 more)."""
        if self.presence == "amount":
            return self.amount_minor + self.amount_minor // 100 + 150
        return self.amount_minor

    def payshack_status_at(self, moment: datetime) -> str:
        """PayShack's status in Vima's words: the same finality, except for planned status discrepancies."""
        if self.presence == "status":
            return "fail" if self.final_status == "success" else "success"
        if self.changed_at is not None and moment < self.payshack_changed_at:
            return "in_process"
        return self.final_status

    @property
    def reconciliation_class(self) -> str | None:
        """The class a correct reconciliation gives this payment's key (91game with a key only)."""
        if self.project != "91game" or not self.key:
            return None
        return {"both": "matched", "vima_only": "missing_payshack", "payshack_only": "missing_vima",
                "amount": "discrepancy_amount", "status": "discrepancy_status", "duplicate": "duplicate"}[self.presence]

    @property
    def on_vima(self) -> bool:
        return self.presence != "payshack_only"

    @property
    def on_payshack(self) -> bool:
        return self.project == "91game" and self.presence != "vima_only"


class World:
    """``size`` payments over ``days`` days from ``start``; ``payment(i)`` computes payment *i*."""

    def __init__(self, *, seed: int, size: int, start: date, days: int):
        if size < 1 or days < 1:
            raise ValueError("a world needs at least one payment and one day")
        self.seed, self.size, self.days = seed, size, days
        self.start = datetime(start.year, start.month, start.day, tzinfo=UTC)
        self.end = self.start + timedelta(days=days)
        self.step_us = days * 86_400_000_000 // size  # microseconds between payments
        # mix(seed, index, salt) for each salt, with the index-free half computed once.
        self._time, self._shape, self._money, self._parties, self._delay = (
            mix_base(seed, salt) for salt in (_S_TIME, _S_SHAPE, _S_MONEY, _S_PARTIES, _S_DELAY))
        self._changes: tuple[array, array] | None = None
        self._by_index: tuple[array, array] | None = None

    def created_at(self, index: int) -> datetime:
        jitter = (mix_at(self._time, index) & _JITTER_MASK) % max(self.step_us, 1)
        return self.start + timedelta(microseconds=index * self.step_us + jitter)

    def created_before(self, moment: datetime) -> int:
        """How many payments were created at or before ``moment`` (they are in creation order)."""
        if moment < self.start:
            return 0
        guess = min(self.size, int((moment - self.start) / timedelta(microseconds=self.step_us)) + 1)
        while guess > 0 and self.created_at(guess - 1) > moment:
            guess -= 1
        return guess

    def project_of(self, index: int) -> str:
        """Payment ``index``'s project alone: a cheap filter before computing the whole payment."""
        return _PROJECTS.choose(bits(mix_at(self._shape, index), 0, 16))

    @staticmethod
    def _changes_later(shape: int) -> bool:
        return (shape >> 48) % 100 < CHANGED_PERCENT

    def payment(self, index: int) -> Payment:
        # Runs for every record a sandbox serves: the 16-bit fields of each 64-bit draw are cut out
        # with plain shifts and masks (``bits(draw, 48, 16)`` is ``draw >> 48``).
        time_draw, shape = mix_at(self._time, index), mix_at(self._shape, index)
        money, parties = mix_at(self._money, index), mix_at(self._parties, index)
        project = _PROJECTS.choose(shape & 0xFFFF)
        changed = self._changes_later(shape)
        final = (_FINAL_ONLY if changed else _STATUSES).choose(time_draw >> 48)
        created = self.start + timedelta(
            microseconds=index * self.step_us + (time_draw & _JITTER_MASK) % max(self.step_us, 1))
        amount_minor = 10_000 + (money & 0xFFFFFFFF) % 4_990_000  # 100.00 … 49,999.99
        key_roll = (money >> 48) % 100
        return Payment(
            index,
            project,
            "payout" if (shape >> 32 & 0xFFFF) % 100 < 15 else "payin",  # direction
            _CURRENCIES[project].choose(shape >> 16 & 0xFFFF),
            amount_minor,
            amount_minor * ((parties >> 48) % 30) // 1000,  # fee_minor
            final,
            created,
            created + self._change_delay(index) if changed else None,  # changed_at
            "" if (project != "91game" and key_roll < 2) else f"ord-{self.seed}-{index}",  # key
            key_roll >= 95,  # key_in_c_id
            (money >> 32 & 0xFFFF) * 100_000 >> 16,  # payer_index: 0 … 99,999
            _METHODS.choose(parties & 0xFFFF),
            _PRESENCE.choose(parties >> 16 & 0xFFFF) if project == "91game" else "vima_only",
            (parties >> 32 & 0xFFFF) % MAX_PAYSHACK_OFFSET_S,  # payshack_offset_s
        )

    def _change_delay(self, index: int) -> timedelta:
        return timedelta(seconds=60 + mix_at(self._delay, index) % MAX_CHANGE_DELAY_S)

    def changes(self) -> tuple[array, array]:
        """(change times in µs since start, payment indexes), ordered by change time; built once."""
        if self._changes is None:
            pairs = []
            for index in range(self.size):
                if self._changes_later(mix_at(self._shape, index)):
                    created_us = (self.created_at(index) - self.start) // timedelta(microseconds=1)
                    pairs.append((created_us + self._change_delay(index) // timedelta(microseconds=1), index))
            pairs.sort()
            self._changes = (array("q", (t for t, _ in pairs)), array("q", (i for _, i in pairs)))
        return self._changes

    def change_position(self, index: int) -> int:
        """Where payment ``index`` stands in the change order (it must be one that changes)."""
        if self._by_index is None:
            _, indexes = self.changes()
            order = sorted(range(len(indexes)), key=indexes.__getitem__)
            self._by_index = (array("q", (indexes[j] for j in order)), array("q", order))
        sorted_indexes, positions = self._by_index
        return positions[bisect.bisect_left(sorted_indexes, index)]

    def changes_before(self, moment: datetime) -> int:
        """How many changes have happened at or before ``moment``."""
        times, _ = self.changes()
        return bisect.bisect_right(times, (moment - self.start) // timedelta(microseconds=1))
