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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from integrations.sandbox.rand import Weighted, bits, mix

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


@dataclass(frozen=True, slots=True)
class Payment:
    """One payment of the world, as it truly is; providers render (and sometimes distort) it."""

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
        self._changes: tuple[array, array] | None = None
        self._by_index: tuple[array, array] | None = None

    def created_at(self, index: int) -> datetime:
        jitter = bits(mix(self.seed, index, _S_TIME), 0, _JITTER_BITS) % max(self.step_us, 1)
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
        return _PROJECTS.choose(bits(mix(self.seed, index, _S_SHAPE), 0, 16))

    def _changes_later(self, shape: int) -> bool:
        return bits(shape, 48, 16) % 100 < CHANGED_PERCENT

    def payment(self, index: int) -> Payment:
        s = self.seed
        time_draw, shape = mix(s, index, _S_TIME), mix(s, index, _S_SHAPE)
        money, parties = mix(s, index, _S_MONEY), mix(s, index, _S_PARTIES)
        project = _PROJECTS.choose(bits(shape, 0, 16))
        changed = self._changes_later(shape)
        final = (_FINAL_ONLY if changed else _STATUSES).choose(bits(time_draw, 48, 16))
        jitter = bits(time_draw, 0, _JITTER_BITS) % max(self.step_us, 1)
        created = self.start + timedelta(microseconds=index * self.step_us + jitter)
        amount_minor = 10_000 + bits(money, 0, 32) % 4_990_000  # 100.00 … 49,999.99
        key_roll = bits(money, 48, 16) % 100
        return Payment(
            index=index,
            project=project,
            direction="payout" if bits(shape, 32, 16) % 100 < 15 else "payin",
            currency=_CURRENCIES[project].choose(bits(shape, 16, 16)),
            amount_minor=amount_minor,
            fee_minor=amount_minor * (bits(parties, 48, 16) % 30) // 1000,
            final_status=final,
            created_at=created,
            changed_at=created + self._change_delay(index) if changed else None,
            key="" if (project != "91game" and key_roll < 2) else f"ord-{s}-{index}",
            key_in_c_id=key_roll >= 95,
            payer_index=bits(money, 32, 16) * 100_000 >> 16,  # 0 … 99,999
            method=_METHODS.choose(bits(parties, 0, 16)),
            presence=_PRESENCE.choose(bits(parties, 16, 16)) if project == "91game" else "vima_only",
            payshack_offset_s=bits(parties, 32, 16) % MAX_PAYSHACK_OFFSET_S,
        )

    def _change_delay(self, index: int) -> timedelta:
        return timedelta(seconds=60 + mix(self.seed, index, _S_DELAY) % MAX_CHANGE_DELAY_S)

    def changes(self) -> tuple[array, array]:
        """(change times in µs since start, payment indexes), ordered by change time; built once."""
        if self._changes is None:
            pairs = []
            for index in range(self.size):
                if self._changes_later(mix(self.seed, index, _S_SHAPE)):
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
