"""Data for the dashboard's tests: yesterday's payments on both providers, reconciled, as the nightly run does."""

from datetime import UTC, datetime, timedelta

import pytest

from reconciliation.services import reconciliation_run
from reconciliation.tests.conftest import payshack_row, vima
from transactions.models import ProjectMapping
from transactions.services import transactions_upsert

# The dashboard shows yesterday's reconciliation, so the data is dated from the real clock.
YESTERDAY_NOON = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)


def at(minutes: int) -> datetime:
    return YESTERDAY_NOON + timedelta(minutes=minutes)


@pytest.fixture
def reconciled_day():
    """Four keys: a (matched), b (amount differs), c (missing on PayShack), d (missing on Vima, failed);
    a USD payment besides, so that amounts come per currency. Returns the run."""
    # Seeded by a migration, but transactional (browser) tests flush the tables: reconciliation needs it.
    ProjectMapping.objects.get_or_create(source="payshack", provider_name="91G_TECH_PVT_LTD",
                                         defaults={"project": "91game"})
    transactions_upsert(rows=[
        vima("a", "1000.00", at=at(0)), payshack_row("a", "1000.00", at=at(5)),
        vima("b", "2000.00", at=at(10)), payshack_row("b", "2500.00", at=at(15)),
        vima("c", "300.50", at=at(20)),
        payshack_row("d", "700.00", status="failed", at=at(25)),
        vima("e", "12.25", currency="USD", at=at(30)),
    ])
    return reconciliation_run(date_from=YESTERDAY_NOON.date(), date_to=YESTERDAY_NOON.date())


from integrations.payshack.tests.conftest import payshack_mapping  # noqa: E402,F401 — fixture for the demo test
