from datetime import UTC, datetime, timedelta

import pytest

from analytics.spans import cover, signed_cover, span_start


def utc(day, hour, minute=0):
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def test_a_month_of_utc_days_is_one_piece_of_days():
    assert cover(utc(1, 0), datetime(2026, 1, 31, tzinfo=UTC)) == [(1440, utc(1, 0), datetime(2026, 1, 31,
                                                                                                tzinfo=UTC))]


def test_india_days_add_hours_and_quarter_hours_at_each_end():
    # 15–16 January in India: 14 January 18:30 UTC to 16 January 18:30 UTC.
    assert cover(utc(14, 18, 30), utc(16, 18, 30)) == [
        (1440, utc(15, 0), utc(16, 0)),
        (60, utc(14, 19), utc(15, 0)), (15, utc(14, 18, 30), utc(14, 19)),
        (60, utc(16, 0), utc(16, 18)), (15, utc(16, 18), utc(16, 18, 30)),
    ]


def test_short_ranges_use_only_the_widths_that_fit():
    assert cover(utc(3, 10, 15), utc(3, 10, 45)) == [(15, utc(3, 10, 15), utc(3, 10, 45))]
    assert cover(utc(3, 10), utc(3, 13)) == [(60, utc(3, 10), utc(3, 13))]
    assert cover(utc(3, 10), utc(3, 10)) == []


def test_pieces_always_add_up_to_the_range():
    start, end = utc(2, 7, 45), utc(9, 22, 15)
    pieces = cover(start, end)
    assert sum((hi - lo).total_seconds() for _, lo, hi in pieces) == (end - start).total_seconds()
    assert all(span_start(lo, span) == lo and span_start(hi, span) == hi for span, lo, hi in pieces)


def test_off_grid_ranges_are_refused():
    with pytest.raises(ValueError, match="not on the 0:15:00 grid"):
        cover(utc(1, 0, 5), utc(1, 1))


def _coverage(pieces, moment):
    """How many times the signed pieces count the quarter hour starting at ``moment``."""
    return sum(sign for _, lo, hi, sign in pieces if lo <= moment < hi)


def test_an_india_day_is_a_day_plus_the_evening_before_minus_its_own_evening():
    # India's 15 January: 14 January 18:30 UTC to 15 January 18:30 UTC.
    assert signed_cover(utc(14, 18, 30), utc(15, 18, 30)) == [
        (1440, utc(15, 0), utc(16, 0), 1),
        (60, utc(14, 19), utc(15, 0), 1), (15, utc(14, 18, 30), utc(14, 19), 1),
        (60, utc(15, 19), utc(16, 0), -1), (15, utc(15, 18, 30), utc(15, 19), -1),
    ]


@pytest.mark.parametrize("start, end", [
    (utc(14, 18, 30), utc(15, 18, 30)), (utc(2, 7, 45), utc(9, 22, 15)), (utc(3, 10), utc(3, 11)),
    (utc(3, 0), utc(5, 0)), (utc(3, 23, 45), utc(4, 0, 15)), (utc(3, 1), utc(3, 23)),
])
def test_signed_pieces_count_every_quarter_hour_of_the_range_once_and_nothing_else(start, end):
    pieces = signed_cover(start, end)
    moment = utc(1, 0)
    while moment < utc(17, 0):  # every quarter hour of the days around all the ranges above
        assert _coverage(pieces, moment) == (1 if start <= moment < end else 0), moment
        moment += timedelta(minutes=15)
    plain = sum((hi - lo) / timedelta(minutes=span) for span, lo, hi in cover(start, end))
    assert sum((hi - lo) / timedelta(minutes=span) for span, lo, hi, _ in pieces) <= plain
