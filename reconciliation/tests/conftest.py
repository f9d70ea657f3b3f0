"""Builders for reconciliation tests: a Vima row and its PayShack partner, written through the one write path.

The sandbox fixtures (world, clock, sandboxes) are the ones the provider tests use, imported here so
that the ground-truth tests start and sync the same sandboxes the same way.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from conftest import build_row
from integrations.conftest import clock, world  # noqa: F401 — fixtures shared with the provider tests
from integrations.payshack.tests.conftest import payshack, payshack_mapping  # noqa: F401
from integrations.vima.tests.conftest import start_vima  # noqa: F401
from transactions.services import transactions_upsert

DAY = datetime(2026, 1, 15, tzinfo=UTC)


def vima(key: str, amount: str = "1000.00", *, status: str = "success", at: datetime | None = None, **fields):
    return build_row(source="vima", client_operation_id=key, amount=Decimal(amount), status=status,
                     created_at=at or DAY.replace(hour=12), updated_at=at or DAY.replace(hour=12), **fields)


def payshack_row(key: str, amount: str = "1000.00", *, status: str = "success", at: datetime | None = None, **fields):
    return build_row(source="payshack", client_operation_id="", order_id=key, amount=Decimal(amount), status=status,
                     created_at=at or DAY.replace(hour=12, minute=5), updated_at=at or DAY.replace(hour=12, minute=5),
                     **fields)


@pytest.fixture
def write():
    """Store rows through ``transactions_upsert``, as every provider does."""

    def store(*rows):
        transactions_upsert(rows=list(rows))

    return store
