"""`manage.py demo --once` against the sandbox world's ground truth."""

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dashboard.demo import demo_world, settled_at
from integrations.sandbox.truth import world_truth
from planning.models import Category
from reconciliation.choices import ResultType

# Transactional: the syncs commit window by window, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("payshack_mapping", "categories")]
SIZE = 2_000


@pytest.fixture
def categories():
    """The categories a migration seeds (the loan book's files name them), flushed by transactional tests."""
    for code, name in (("issuance", "видача"), ("collection", "збір"), ("body", "тіло"), ("interest", "відсотки")):
        Category.objects.get_or_create(code=code, defaults={"name": name})


def test_the_one_shot_demo_syncs_and_reconciles_exactly_the_sandbox_worlds_truth():
    out = StringIO()
    call_command("demo", "--once", "--size", str(SIZE), "--json", stdout=out)
    lines = out.getvalue().splitlines()
    summary = json.loads(lines[-1])
    world = demo_world(seed=42, size=SIZE, days=3, today=datetime.now(UTC).date())
    assert summary["now"] == settled_at(world).isoformat()
    truth = world_truth(world, now=settled_at(world))

    assert {name: run["status"] for name, run in summary["syncs"].items()} == {"vima": "succeeded",
                                                                                "payshack": "succeeded"}
    assert summary["stored"] == {"vima": truth["vima"]["total"], "payshack": truth["payshack"]["total"]}
    expected = {klass: sum(day[klass] for day in truth["reconciliation"].values()) for klass in ResultType.values}
    assert summary["reconciliation"]["counts"] == expected
    assert sum(expected.values()) > 0 and expected["matched"] > 0
    assert lines[0].startswith(f"vima: succeeded inserted={truth['vima']['total']} ")
    assert lines[2].startswith(f"reconciliation {summary['reconciliation']['from']}…")
    # The generated loan book and this year's plans, so that the plan pages show data on a fresh install.
    assert lines[3].startswith("loan book: 5000 credits, ") and lines[3].endswith(" 24 plans")
    ledger = summary["ledger"]
    assert ledger["vouchers"] > 0 and ledger["refused"] == []
    assert ledger["trial_balance"] and set(ledger["trial_balance"].values()) == {"0.0000"}
    assert sum(ledger["gl"].values()) >= 2 and set(ledger["gl"]) <= {"reconciled", "unreconciled"}
    assert lines[4].startswith(f"ledger: vouchers={ledger['vouchers']} refused=0 trial balance ")


def test_without_once_it_says_where_the_long_running_demo_is():
    with pytest.raises(CommandError, match="make run"):
        call_command("demo")
