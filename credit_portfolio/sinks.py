"""The credit portfolio's sink (``common.sinks.Sink``): receipts, repayments and their details from the
accounting exports, and each file's import log."""

from common.sinks import SinkResult
from credit_portfolio.normalizer import DetailRow, ExpenseRow, FileOutcome, ReceiptRow
from credit_portfolio.services import portfolio_rows_write

_ROW_TYPES = (ReceiptRow, ExpenseRow, DetailRow, FileOutcome)


class PortfolioSink:
    """Rows of the three export kinds, plus one ``FileOutcome`` per file that closes its import log."""

    name = "credit_portfolio"

    def prepare(self, row):
        if not isinstance(row, _ROW_TYPES):
            raise ValueError(f"the credit portfolio sink cannot store a {type(row).__name__}")
        return row

    def write(self, rows: list) -> SinkResult:
        outcome = portfolio_rows_write(rows=rows)
        return SinkResult(outcome.inserted, outcome.updated, outcome.unchanged)


PORTFOLIO_SINK = PortfolioSink()
