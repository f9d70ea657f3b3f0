"""The sales sink (``common.sinks.Sink``): where the 1C and iiko sources' rows are stored."""

from collections import defaultdict

from django.conf import settings

from common.sinks import SinkResult
from sales.services import DepartmentRow, SaleOrder, SalesDay, departments_upsert, sales_days_replace

_ROWS = (DepartmentRow, SalesDay, SaleOrder)


class SalesSink:
    """Department rows (1C's objects, iiko's corporation list), written parents first; and days of sales.

    A day's rows are a ``SalesDay`` followed by that day's orders: the batch replaces exactly the days it
    opens (``sales_days_replace``). Counts are departments plus daily rows.
    """

    name = "sales"

    def prepare(self, row):
        if not isinstance(row, _ROWS):
            raise ValueError(f"the sales sink cannot store a {type(row).__name__}")
        return row

    def write(self, rows: list) -> SinkResult:
        departments = [row for row in rows if isinstance(row, DepartmentRow)]
        days = {row.day: [] for row in rows if isinstance(row, SalesDay)}
        orders = defaultdict(list)
        for row in rows:
            if isinstance(row, SaleOrder):
                orders[row.day].append(row)
        strays = sorted(set(orders) - set(days))
        if strays:
            raise ValueError(f"orders of {', '.join(map(str, strays))} came without their day's opening row")
        result = SinkResult()
        if departments:
            outcome = departments_upsert(rows=departments)
            result += SinkResult(inserted=outcome.inserted, updated=outcome.updated)
        if days:
            replaced = sales_days_replace(days={day: orders[day] for day in days}, currency=settings.SALES_CURRENCY)
            result += SinkResult(replaced.inserted, replaced.updated, replaced.unchanged)
        return result


SALES_SINK = SalesSink()
