"""The transactions sink: how the sync core stores payment providers' rows (``common.sinks.Sink``)."""

from common.sinks import SinkResult
from transactions.rows import NormalizedTransaction, row_problems
from transactions.services import transactions_upsert


class TransactionSink:
    """Rows are ``NormalizedTransaction``s; the write is ``transactions_upsert`` (one bulk statement)."""

    name = "transactions"

    def prepare(self, row: NormalizedTransaction) -> NormalizedTransaction:
        problems = row_problems(row)
        if problems:
            raise ValueError("; ".join(problems))
        row.data_hash  # noqa: B018 — computed here, ahead of the writer (it is cached on the row)
        return row

    def write(self, rows: list[NormalizedTransaction]) -> SinkResult:
        return transactions_upsert(rows=rows)


TRANSACTIONS_SINK = TransactionSink()
