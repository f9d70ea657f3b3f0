"""Rollups are kept at three widths — 15 minutes, hours and days (UTC) — so that any period reads few rows.

The 15-minute rows alone are exact for every time zone but number 96 a day for each group; a month
of them is hundreds of thousands of rows to add up. ``cover`` splits a period into the widest
pieces that fit: whole UTC days in the middle, whole hours around them, quarter hours at the edges.
A month in UTC is then 30 day rows per group; a month of India's days (which start at 18:30 UTC)
adds a few hour and quarter-hour rows at each end.
"""

from datetime import UTC, datetime, timedelta

from django.db import models

from transactions.slots import SLOT


class Span(models.IntegerChoices):
    """Width of a rollup row, in minutes."""

    QUARTER_HOUR = 15, "15 minutes"
    HOUR = 60, "hour"
    DAY = 1440, "day"


def span_start(moment: datetime, span: int) -> datetime:
    """The start of the ``span``-minute piece (aligned on UTC midnight) that holds ``moment``."""
    moment = moment.astimezone(UTC)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = (moment - midnight) // timedelta(minutes=1)
    return midnight + timedelta(minutes=minutes - minutes % span)


def cover(start: datetime, end: datetime) -> list[tuple[int, datetime, datetime]]:
    """[start, end) as (span, from, to) pieces, widest first; ``start`` and ``end`` on the 15-minute grid."""
    if span_start(start, Span.QUARTER_HOUR) != start or span_start(end, Span.QUARTER_HOUR) != end:
        raise ValueError(f"[{start}, {end}) is not on the {SLOT} grid")
    return _cover(start, end, (Span.DAY, Span.HOUR, Span.QUARTER_HOUR))


def _cover(start: datetime, end: datetime, spans: tuple[int, ...]) -> list[tuple[int, datetime, datetime]]:
    if start >= end:
        return []
    span, finer = spans[0], spans[1:]
    if not finer:
        return [(span, start, end)]
    first = span_start(start, span)
    first = first if first == start else first + timedelta(minutes=span)
    last = span_start(end, span)
    if first >= last:
        return _cover(start, end, finer)
    return [(span, first, last), *_cover(start, first, finer), *_cover(last, end, finer)]
