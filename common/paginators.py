"""Paginators for tables with millions of rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Counting a filtered multi-million-row table takes seconds; past this many rows the admin
# shows this many pages' worth and asks people to narrow the filter instead.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows: ``SELECT count(*) FROM (… LIMIT cap)`` stays fast on any filter."""

    @cached_property
    def count(self):
        return self.object_list[:COUNT_CAP].count()
