"""Shared test fixtures: row builders and users in each finance role."""

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from common.roles import FINANCE_ADMIN, FINANCE_MANAGER, VIEWER
from transactions.rows import NormalizedTransaction

_sequence = count(1)
BASE_TIME = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def build_row(**overrides) -> NormalizedTransaction:
    """A valid normalized row; every field can be overridden."""
    n = next(_sequence)
    values = {
        "source": "vima",
        "source_id": f"op-{n}",
        "amount": Decimal("1500.00"),
        "currency": "INR",
        "status": "success",
        "direction": "payin",
        "created_at": BASE_TIME + timedelta(minutes=n),
        "updated_at": BASE_TIME + timedelta(minutes=n),
        "client_operation_id": f"order-{n}",
        "project": "91game",
        "user_email": f"payer{n}@example.com",
        "raw_data": {"operation_id": n},
    }
    values.update(overrides)
    return NormalizedTransaction(**values)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: outside transactional tests no commit ever bumps a
    namespace, so a value cached by one test would otherwise answer the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_row():
    return build_row


def _user_with_role(django_user_model, role: str):
    user = django_user_model.objects.create_user(username=f"{role}-user", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def viewer(db, django_user_model):
    return _user_with_role(django_user_model, VIEWER)


@pytest.fixture
def finance_manager(db, django_user_model):
    return _user_with_role(django_user_model, FINANCE_MANAGER)


@pytest.fixture
def finance_admin(db, django_user_model):
    return _user_with_role(django_user_model, FINANCE_ADMIN)


@pytest.fixture
def api_client():
    return APIClient()


def wait_for(condition, seconds: float = 20.0) -> None:
    """Poll ``condition`` until it holds (a worker or a thread doing the work); fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {seconds}s")
