"""Turning "what the rows looked like before" and "what was written" into exact changes of totals."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from transactions.signals import SlotDelta
from transactions.slots import slot_of
from transactions.writers import WriteOutcome

# (source, project, status, currency, direction, slot, count, amount, fee)
GroupTotals = tuple


def outcome_of(*, inserted: int, updated: int, added: list[GroupTotals], removed: list[GroupTotals]) -> WriteOutcome:
    """The WriteOutcome of a write whose new rows total ``added`` and whose rewritten rows totalled ``removed``."""
    touched = frozenset((source, project, slot) for source, project, _, _, _, slot, *_ in (*added, *removed))
    return WriteOutcome(inserted=inserted, updated=updated, deltas=deltas_between(added=added, removed=removed),
                        touched=touched)


def deltas_between(*, added: Iterable[GroupTotals], removed: Iterable[GroupTotals]) -> list[SlotDelta]:
    """New totals minus old ones, per group and slot; groups that end up unchanged are left out.

    A row rewritten with nothing that the totals see changed (say, a new e-mail address) is in
    both lists and cancels out.
    """
    net: dict[tuple, list] = {}
    for sign, groups in ((1, added), (-1, removed)):
        for *group, count, amount, fee in groups:
            totals = net.setdefault(tuple(group), [0, Decimal(0), Decimal(0)])
            totals[0] += sign * count
            totals[1] += sign * Decimal(amount or 0)
            totals[2] += sign * Decimal(fee or 0)
    return [
        SlotDelta(*group, count=count, amount=amount, fee=fee)
        for group, (count, amount, fee) in sorted(net.items())
        if count or amount or fee
    ]


# (source, project, status, currency, direction, created_at, amount, fee) of one transaction
TransactionFacts = tuple[str, str, str, str, str, datetime, Decimal, Decimal | None]


def totals_by_slot(rows: Iterable[TransactionFacts], minutes: int = 15) -> list[GroupTotals]:
    """(source, project, status, currency, direction, created_at, amount, fee) per transaction → GroupTotals
    per slot of ``minutes``.

    The Python twin of the SQL grouping the PostgreSQL writer does, for SQLite (whose SUM adds floats).
    """
    groups: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for source, project, status, currency, direction, created_at, amount, fee in rows:
        totals = groups[(source, project, status, currency, direction, slot_of(created_at, minutes))]
        totals[0] += 1
        totals[1] += amount
        totals[2] += fee or 0
    return [(*group, *totals) for group, totals in groups.items()]
