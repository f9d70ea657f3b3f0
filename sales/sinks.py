"""The sales sink (``common.sinks.Sink``): where the 1C and iiko sources' rows are stored."""

from common.sinks import SinkResult
from sales.services import DepartmentRow, departments_upsert


class SalesSink:
    """Department rows (1C's objects, iiko's corporation list), written parents first."""

    name = "sales"

    def prepare(self, row):
        if not isinstance(row, DepartmentRow):
            raise ValueError(f"the sales sink cannot store a {type(row).__name__}")
        return row

    def write(self, rows: list) -> SinkResult:
        outcome = departments_upsert(rows=rows)
        return SinkResult(inserted=outcome.inserted, updated=outcome.updated)


SALES_SINK = SalesSink()
