"""Which transactions make which event, in one table: the posting run sums by it, traceability filters by it.

Amounts come from settled transactions: a pay-in that succeeded or was later refunded was settled (its amount
and fee); a refunded pay-in also makes a ``refund`` of its amount; a pay-out that succeeded was sent (amount
and fee). A refunded pay-out came back, so it posts nothing. No unified status says "chargeback" yet: the
event and its rules exist for vouchers that name it, and no transaction makes it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ledger.choices import Event
from transactions.choices import Direction, Status


@dataclass(frozen=True)
class EventSource:
    direction: str
    statuses: frozenset[str]
    field: str  # "amount" or "fee"

    def q(self) -> Q:
        return Q(direction=self.direction, status__in=sorted(self.statuses))


_SETTLED_PAYIN = frozenset({Status.SUCCESS, Status.REFUNDED})
EVENT_SOURCES = {
    Event.PAYIN_SETTLED: EventSource(Direction.PAYIN, _SETTLED_PAYIN, "amount"),
    Event.PAYIN_FEE: EventSource(Direction.PAYIN, _SETTLED_PAYIN, "fee"),
    Event.REFUND: EventSource(Direction.PAYIN, frozenset({Status.REFUNDED}), "amount"),
    Event.PAYOUT_SENT: EventSource(Direction.PAYOUT, frozenset({Status.SUCCESS}), "amount"),
    Event.PAYOUT_FEE: EventSource(Direction.PAYOUT, frozenset({Status.SUCCESS}), "fee"),
}
# Every status that makes some event: the posting run reads only these rows.
POSTED_STATUSES = sorted({status for source in EVENT_SOURCES.values() for status in source.statuses})


def events_of(*, direction: str, status: str, amount: Decimal, fee: Decimal) -> list[tuple[str, Decimal]]:
    """The (event, amount) pairs a group of transactions of one direction and status makes (zeros left out)."""
    values = {"amount": amount or Decimal(0), "fee": fee or Decimal(0)}
    return [(str(event), values[source.field]) for event, source in EVENT_SOURCES.items()
            if source.direction == direction and status in source.statuses and values[source.field]]
