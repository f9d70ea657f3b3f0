"""Year performance and plans performance as rows for a file (``common.exports`` writes CSV and XLSX).

Columns say what they count: ``*_sum`` is money (bodies issued, repayments collected), ``*_count`` a number
of credits or repayments, ``*_pct`` a percentage; an empty performance means "no plan".
"""

from collections.abc import Iterator

from planning.selectors import YEAR_CATEGORIES

_LINE = ("plan", "currency", "count", "sum", "performance", "unplanned")
_LINE_HEADERS = ("plan", "currency", "count", "sum", "performance_pct", "unplanned")


def year_performance_rows(answer: dict) -> Iterator[tuple]:
    """One row per month: for issuance and collection in turn, plan, count, sum, performance and share of year."""
    yield ("month", *(f"{code}_{name}" for code in YEAR_CATEGORIES for name in (*_LINE_HEADERS,
                                                                                 "share_of_year_pct")))
    for month in answer["months"]:
        yield (month["month"], *(month[code][name] for code in YEAR_CATEGORIES
                                 for name in (*_LINE, "share_of_year")))


def plans_performance_rows(answer: list[dict]) -> Iterator[tuple]:
    """One row per plan whose month has begun, with the actual of its days up to ``through``."""
    yield ("month", "category", "category_name", "through", *_LINE_HEADERS)
    for row in answer:
        yield (row["month"], row["category"], row["category_name"], row["through"], *(row[name] for name in _LINE))
