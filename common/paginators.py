"""Paginators for tables with millions of rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counting a filtered multi-million-row table takes seconds; past this many rows the admin
# shows this many pages' worth and asks people to narrow the filter instead.
COUNT_CAP = 10_000


class CappedCount(int):
    """The cap, standing for a count that went past it: it computes as the cap (pages, "select all") and reads
    "more than 10,000" wherever the admin's templates print the count (result count, pagination, selection)."""

    def __str__(self) -> str:
        return f"more than {int(self):,}"

    capped = True


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: ``SELECT count(*) FROM (… LIMIT cap + 1)`` stays fast on any filter, and
    one row past the cap tells an exact 10,000 from more."""

    @cached_property
    def count(self):
        found = self.object_list[:COUNT_CAP + 1].count()
        return CappedCount(COUNT_CAP) if found > COUNT_CAP else found
