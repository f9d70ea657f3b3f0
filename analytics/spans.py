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


def signed_cover(start: datetime, end: datetime) -> list[tuple[int, datetime, datetime, int]]:
    """[start, end) as (span, from, to, sign) pieces reading the fewest rollup rows: sums times signs
    give the range's totals exactly.

    Besides ``cover``'s plain pieces, each edge off a UTC midnight may be reached from outside: a
    whole day read, and the part before ``start`` (or after ``end``) taken away. An India day
    (18:30 to 18:30 UTC) is then a day, plus the 5½ hours before it, minus the 5½ hours after it:
    15 rows per group instead of 27.
    """
    plain = [(span, lo, hi, 1) for span, lo, hi in cover(start, end)]
    candidates = [plain]
    for left_inside in (True, False):
        for right_inside in (True, False):
            middle_start = _ceil_day(start) if left_inside else span_start(start, Span.DAY)
            middle_end = span_start(end, Span.DAY) if right_inside else _ceil_day(end)
            if middle_start > middle_end:
                continue
            left = cover(start, middle_start) if left_inside else cover(middle_start, start)
            right = cover(middle_end, end) if right_inside else cover(end, middle_end)
            candidates.append([
                *((span, lo, hi, 1) for span, lo, hi in cover(middle_start, middle_end)),
                *((span, lo, hi, 1 if left_inside else -1) for span, lo, hi in left),
                *((span, lo, hi, 1 if right_inside else -1) for span, lo, hi in right),
            ])
    return min(candidates, key=_rows_read)


def _rows_read(pieces) -> float:
    """Rollup rows the pieces read, per group."""
    return sum((hi - lo) / timedelta(minutes=span) for span, lo, hi, _ in pieces)


def _ceil_day(moment: datetime) -> datetime:
    floor = span_start(moment, Span.DAY)
    return floor if floor == moment else floor + timedelta(days=1)


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
