"""``manage.py sandbox serve onec|iiko`` builds the POS world only (the payment world is 100,000 payments)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integrations.management.commands import sandbox


@pytest.mark.parametrize("provider", ["onec", "iiko"])
def test_serving_a_pos_sandbox_never_builds_the_payment_world(provider, monkeypatch):
    served = []

    def payment_world(options):
        raise AssertionError("the payment world was built for a POS sandbox")

    # Patched so that the test does not block in serve_forever: what would be served is recorded instead.
    monkeypatch.setattr(sandbox, "_world", payment_world)
    monkeypatch.setattr(sandbox.Command, "_serve", lambda self, app, where, options, described: served.append(
        (type(app).__name__, described)))
    call_command("sandbox", "serve", provider, "--days", "3", "--departments", "4")
    assert served == [({"onec": "OneCSandbox", "iiko": "IikoSandbox"}[provider], _described())]


def _described():
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC).date() - timedelta(days=2)
    return f"4 departments over 3 days from {start:%Y-%m-%d}"


def test_a_pos_world_of_no_days_is_a_command_error():
    with pytest.raises(CommandError, match="at least one day"):
        call_command("sandbox", "serve", "iiko", "--days", "0")
