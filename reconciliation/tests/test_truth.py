"""Both sandboxes synced end to end, then reconciled: the counts per class are the world's ground truth."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from integrations.choices import RunStatus
from integrations.core.runner import sync_run
from integrations.payshack.tests.conftest import api_source
from integrations.sandbox.truth import world_truth
from integrations.vima.sync import VimaSource
from reconciliation.choices import ResultType
from reconciliation.models import ReconciliationResult

# Transactional like the PayShack tests: the syncs commit window by window.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("payshack_mapping")]


@pytest.fixture
def synced(world, clock, start_vima, payshack):
    """Vima and PayShack synced from their sandboxes over loopback; the world's reconciliation truth."""
    vima_run = sync_run(source=VimaSource(start_vima()), trigger="command")
    payshack_run = sync_run(source=api_source(payshack(), clock), trigger="command")
    assert (vima_run.status, payshack_run.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    return world_truth(world, now=clock.now())["reconciliation"]


def _reconcile(*args) -> dict:
    out = StringIO()
    call_command("reconcile", *args, "--json", stdout=out)
    return json.loads(out.getvalue().splitlines()[-1])


def test_every_date_reconciles_to_the_ground_truth_and_a_range_to_their_sum(synced):
    assert len(synced) >= 3
    for day, expected in synced.items():
        assert _reconcile("--date", day)["counts"] == expected, day
    first, last = min(synced), max(synced)
    whole = _reconcile("--from", first, "--to", last)["counts"]
    assert whole == {klass: sum(counts[klass] for counts in synced.values()) for klass in ResultType.values}
    # every class occurs, so none of them is counted right by accident of being absent
    assert all(whole.values())
    # one result per key and date, which the engine guarantees by construction (no unique index: see the model)
    keys = ReconciliationResult.objects.values("run", "project", "key", "result_date")
    assert not keys.annotate(n=Count("id")).filter(n__gt=1).exists()
    assert date.fromisoformat(first) == date(2026, 1, 10)
