"""Fixtures of the ledger tests: the seeded chart (put back after transactional tests flush it), journals,
users in each role, and the sandbox world of the provider tests."""

from datetime import date
from decimal import Decimal

import pytest

from integrations.conftest import clock, world  # noqa: F401 — fixtures shared with the provider tests
from integrations.payshack.tests.conftest import payshack, payshack_mapping  # noqa: F401
from integrations.vima.tests.conftest import start_vima  # noqa: F401
from ledger.models import Account, Journal, PostingRule
from ledger.seed import chart_seed
from ledger.services.vouchers import LineInput

DAY = date(2026, 1, 15)


@pytest.fixture
def chart(db):
    """The seeded chart; the migration seeds it, transactional tests flush it, so it is seeded again here."""
    chart_seed(account_model=Account, journal_model=Journal, rule_model=PostingRule, sources=["vima", "payshack"])
    return {account.code: account for account in Account.objects.all()}


@pytest.fixture
def gen(chart):
    return Journal.objects.get(code="GEN")


def pair(debit_account: Account, credit_account: Account, amount: str, currency: str = "INR") -> list[LineInput]:
    """Two lines moving ``amount`` from the credit account to the debit account."""
    value = Decimal(amount)
    return [LineInput(account=debit_account, debit=value, credit=Decimal(0), currency=currency),
            LineInput(account=credit_account, debit=Decimal(0), credit=value, currency=currency)]
