"""Time slots: the 15-minute grid that totals of transactions are kept on.

Every time-zone offset in real use (+5:30 India, +5:45 Nepal, -9:30 Marquesas) is a whole number
of quarter hours, so any local hour, day or week is a whole number of slots: totals kept per
slot add up exactly to totals of any local period. The grid starts at midnight UTC.
"""

from datetime import UTC, datetime, timedelta

SLOT = timedelta(minutes=15)
SLOT_SECONDS = int(SLOT.total_seconds())
# The same grid in SQL: PostgreSQL's date_bin needs an origin on it.
SLOT_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)


def slot_of(moment: datetime, minutes: int = 15) -> datetime:
    """The start of the slot holding ``moment`` (an aware datetime), in UTC; ``minutes`` divides an hour
    (finer slots than the stored grid's serve trends read from the transactions themselves)."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % minutes, second=0, microsecond=0)


def is_slot_edge(moment: datetime) -> bool:
    """Whether ``moment`` falls exactly on the grid (so that a period starting there is whole slots)."""
    return slot_of(moment) == moment.astimezone(UTC)
