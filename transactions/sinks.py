"""The transactions sink: how the sync core stores payment providers' rows (``common.sinks.Sink``)."""

from common.sinks import SinkResult
from transactions.rows import NormalizedTransaction, row_problems
from transactions.services import transactions_write_staged
from transactions.writers.columns import staged_values


class TransactionSink:
    """Rows are ``NormalizedTransaction``s. ``prepare`` (in the sync's reader process) checks one, hashes it
    and stages it as the flat tuple the writer stores; ``write`` is ``transactions_write_staged``, the
    bulk statement behind ``transactions_upsert``."""

    name = "transactions"

    def prepare(self, row: NormalizedTransaction) -> tuple:
        problems = row_problems(row)
        if problems:
            raise ValueError("; ".join(problems))
        return staged_values(row)

    def write(self, rows: list[tuple]) -> SinkResult:
        return transactions_write_staged(staged=rows)


TRANSACTIONS_SINK = TransactionSink()
