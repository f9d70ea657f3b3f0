"""Fixtures every provider's tests share: one small payment world and a clock past all of it."""

from datetime import date, timedelta

import pytest

from integrations.core.http import RetryPolicy
from integrations.sandbox.clock import Clock
from integrations.sandbox.world import World

# Fast retries: the sandboxes' faults are injected, not real outages.
TEST_RETRY = RetryPolicy(max_attempts=8, backoff_base_s=0.01, backoff_max_s=0.05)


@pytest.fixture
def world():
    return World(seed=42, size=2_000, start=date(2026, 1, 10), days=3)


@pytest.fixture
def clock(world):
    """Frozen after every payment and every change has happened."""
    return Clock(world.end + timedelta(days=1))
