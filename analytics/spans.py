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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a UTC midnight: every span's pieces are aligned on it
_MINUTE = timedelta(minutes=1)
_WIDEST_FIRST = (Span.DAY, Span.HOUR, Span.QUARTER_HOUR)


def span_start(moment: datetime, span: int) -> datetime:
    """The start of the ``span``-minute piece (aligned on UTC midnight) that holds ``moment``."""
    minutes = _to_minutes(moment)
    return _from_minutes(minutes - minutes % span)


def cover(start: datetime, end: datetime) -> list[tuple[int, datetime, datetime]]:
    """[start, end) as (span, from, to) pieces, widest first; ``start`` and ``end`` on the 15-minute grid."""
    return [(span, _from_minutes(lo), _from_minutes(hi)) for span, lo, hi in _cover(*_on_grid(start, end))]


def signed_cover(start: datetime, end: datetime) -> list[tuple[int, datetime, datetime, int]]:
    """[start, end) as (span, from, to, sign) pieces reading the fewest rollup rows: sums times signs
    give the range's totals exactly.

    Besides ``cover``'s plain pieces, each edge off a UTC midnight may be reached from outside: a
    whole day read, and the part before ``start`` (or after ``end``) taken away. An India day
    (18:30 to 18:30 UTC) is then a day, plus the 5½ hours before it, minus the 5½ hours after it:
    15 rows per group instead of 27. (Worked in minutes since the epoch: a month of hourly buckets
    is hundreds of covers per request.)
    """
    lo, hi = _on_grid(start, end)
    candidates = [[(span, a, b, 1) for span, a, b in _cover(lo, hi)]]
    for left_inside in (True, False):
        for right_inside in (True, False):
            middle_lo = _ceil(lo, Span.DAY) if left_inside else lo - lo % Span.DAY
            middle_hi = hi - hi % Span.DAY if right_inside else _ceil(hi, Span.DAY)
            if middle_lo > middle_hi:
                continue
            left = _cover(lo, middle_lo) if left_inside else _cover(middle_lo, lo)
            right = _cover(middle_hi, hi) if right_inside else _cover(hi, middle_hi)
            candidates.append([
                *((span, a, b, 1) for span, a, b in _cover(middle_lo, middle_hi)),
                *((span, a, b, 1 if left_inside else -1) for span, a, b in left),
                *((span, a, b, 1 if right_inside else -1) for span, a, b in right),
            ])
    cheapest = min(candidates, key=_rows_read)
    return [(span, _from_minutes(a), _from_minutes(b), sign) for span, a, b, sign in cheapest]


def _rows_read(pieces) -> int:
    """Rollup rows the pieces read, per group."""
    return sum((b - a) // span for span, a, b, _ in pieces)


def _to_minutes(moment: datetime) -> int:
    return (moment - _EPOCH) // _MINUTE


def _from_minutes(minutes: int) -> datetime:
    return _EPOCH + timedelta(minutes=minutes)


def _on_grid(start: datetime, end: datetime) -> tuple[int, int]:
    lo, hi = _to_minutes(start), _to_minutes(end)
    if lo % Span.QUARTER_HOUR or hi % Span.QUARTER_HOUR or _from_minutes(lo) != start or _from_minutes(hi) != end:
        raise ValueError(f"[{start}, {end}) is not on the {SLOT} grid")
    return lo, hi


def _ceil(minutes: int, span: int) -> int:
    return minutes if minutes % span == 0 else minutes - minutes % span + span


def _cover(lo: int, hi: int, spans: tuple[int, ...] = _WIDEST_FIRST) -> list[tuple[int, int, int]]:
    """[lo, hi) in minutes as (span, from, to) pieces: the widest span's whole pieces, then the rest."""
    if lo >= hi:
        return []
    span, finer = spans[0], spans[1:]
    if not finer:
        return [(span, lo, hi)]
    first, last = _ceil(lo, span), hi - hi % span
    if first >= last:
        return _cover(lo, hi, finer)
    return [(span, first, last), *_cover(lo, first, finer), *_cover(last, hi, finer)]
