"""A throwaway source that exists only in this test package: its Source, normalizer and declaration.

It serves ``COUNT`` payments from memory in pages of ten, by an id cursor. Nothing outside this package
knows it; the test shows the product picks it up from the declaration alone.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from common.sources import Schedule, SourceDeclaration
from integrations.core.source import Page, StreamPosition
from transactions.rows import NormalizedTransaction
from transactions.sinks import TRANSACTIONS_SINK

COUNT, PAGE = 25, 10
START = datetime(2026, 1, 10, 9, tzinfo=UTC)


def normalize(raw: dict, context: dict) -> NormalizedTransaction:
    at = START + timedelta(minutes=int(raw["id"]))
    return NormalizedTransaction(source="toy", source_id=str(raw["id"]), amount=Decimal(raw["amount"]),
                                 currency="INR", status="success", direction="payin", created_at=at, updated_at=at,
                                 project="toy-project", raw_data=raw)


class ToySource:
    name = "toy"

    def streams(self, positions):
        return ["all"]

    def pages(self, stream: str, position: StreamPosition) -> Iterator[Page]:
        after = int(position.cursor or 0)
        while after < COUNT:
            ids = range(after + 1, min(after + PAGE, COUNT) + 1)
            after = ids[-1]
            records = [{"id": i, "amount": f"{i}.50"} for i in ids]
            yield Page(records=records, position=StreamPosition(cursor=str(after)))

    def normalize(self, raw: dict) -> NormalizedTransaction:
        return normalize(raw, {})

    def close(self) -> None:
        pass


TOY = SourceDeclaration(
    name="toy", label="Toy", source=lambda mode="": ToySource(), normalizer=lambda: (normalize, {}),
    sink=TRANSACTIONS_SINK, record_id=lambda raw: str(raw.get("id", "")),
    sync=Schedule(every=lambda: timedelta(minutes=7), description="The throwaway source."),
)
