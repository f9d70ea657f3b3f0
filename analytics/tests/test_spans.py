from datetime import UTC, datetime

import pytest

from analytics.spans import cover, span_start


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
