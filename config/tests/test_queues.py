"""Task routing: every task of the project lands on the queue meant for it, and the workers the project
starts consume every queue."""

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from common.management.commands.worker import worker_argv
from common.scheduling import registered_schedules
from config.celery import app
from config.queues import all_queues

# The intended queue of every project task (one task serves every provider, so theirs depend on the argument).
# A new task fails test_every_project_task_has_an_intended_queue until it is given its place here.
EXPECTED = {
    "common.heartbeat": "celery",
    "monitoring.alerts_check": "celery",
    "monitoring.prune_operations": "celery",
    "reconciliation.run_queued": "reconciliation",
    "reconciliation.reconcile_yesterday": "reconciliation",
    "reconciliation.reconcile_date": "reconciliation",
    "common.render_prepared_file": "celery",
    "ledger.post_days": "celery",
    "ledger.post_recent": "celery",
    "ledger.gl_reconcile": "celery",
    "ledger.gl_reconcile_yesterday": "celery",
    "ledger.gl_reconcile_date": "celery",
    "integrations.sync_provider": "sync.<source>",
    "integrations.sync_metadata": "sync.<source>",
    "integrations.sweep_abandoned_runs": "celery",  # never behind a stuck provider's queue
    # A retrain takes minutes on one core; the default queue's workers take it like any other job.
    "forecasting.retrain": "celery",
    "forecasting.nightly": "celery",
}
PROVIDERS = ("payshack", "vima")


def _queue(name: str, args=(), kwargs=None, **options) -> str:
    return app.amqp.router.route(options, name, args, kwargs or {})["queue"].name


def _project_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_project_task_has_an_intended_queue():
    assert _project_tasks() == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(name for name, queue in EXPECTED.items() if queue != "sync.<source>"))
def test_a_task_goes_to_its_queue_whatever_its_arguments(name):
    assert {_queue(name), _queue(name, args=("vima",)), _queue(name, kwargs={"source": "payshack"})} == {
        EXPECTED[name]}


@pytest.mark.parametrize("name", ["integrations.sync_provider", "integrations.sync_metadata"])
@pytest.mark.parametrize("source", PROVIDERS)
def test_a_providers_sync_goes_to_that_providers_queue_however_the_source_is_passed(name, source):
    # The API passes the source positionally, beat's schedules as a keyword argument.
    assert _queue(name, args=(source,)) == f"sync.{source}"
    assert _queue(name, args=(source, "api"), kwargs={"mode": "portal"}) == f"sync.{source}"
    assert _queue(name, kwargs={"source": source, "trigger": "schedule"}) == f"sync.{source}"


def test_an_unknown_provider_stays_on_the_default_queue_where_its_failure_is_seen():
    assert _queue("integrations.sync_provider", args=("nobody",)) == "celery"
    assert _queue("integrations.sync_provider") == "celery"


def test_a_queue_set_on_a_schedule_in_the_admin_wins_over_the_routes():
    assert _queue("integrations.sync_provider", kwargs={"source": "vima"}, queue="celery") == "celery"


def test_each_declared_schedule_reaches_the_queue_of_its_task():
    routed = {spec.name: _queue(spec.task, kwargs=json.loads(spec.kwargs)) for spec in registered_schedules()}
    assert routed["sync vima"] == "sync.vima"
    assert routed["sync payshack"] == routed["sync payshack metadata"] == "sync.payshack"
    assert routed["reconcile yesterday"] == "reconciliation"
    assert routed["worker heartbeat"] == routed["alerts check"] == routed["prune operations"] == "celery"
    assert routed["sweep abandoned sync runs"] == "celery"


def test_all_queues_are_the_default_reconciliation_and_one_per_provider():
    assert sorted(all_queues()) == ["celery", "reconciliation", "sync.credit_portfolio", "sync.iiko", "sync.onec",
                                    "sync.payshack", "sync.vima"]


# --- the workers the project's files start ---

ROOT = Path(settings.BASE_DIR)


def _queues_option(command: list[str]) -> set[str]:
    """The queues a `celery worker` (or `manage.py worker`) command line consumes (`-Q a,b` or `--queues=a,b`)."""
    if "manage.py" in command:  # the project's own `manage.py worker`: the queues it adds to celery's options
        rest = command[command.index("manage.py") + 1:]
        assert rest[0] == "worker"
        command = worker_argv(rest[1:])
    for i, word in enumerate(command):
        if word in ("-Q", "--queues"):
            return set(command[i + 1].split(","))
        if word.startswith("--queues="):
            return set(word.split("=", 1)[1].split(","))
    return {"celery"}  # no -Q: Celery's default queue only


def _procfile_worker() -> list[str]:
    lines = (ROOT / "Procfile.dev").read_text().splitlines()
    (command,) = [line.split(":", 1)[1] for line in lines if re.match(r"worker\s*:", line)]
    return shlex.split(command)


def _compose_workers() -> dict[str, dict]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: service for name, service in services.items() if "worker" in service.get("command", [])}


def test_make_runs_worker_consumes_every_queue():
    command = _procfile_worker()
    assert "worker" in command
    assert _queues_option(command) == set(all_queues())


def test_the_compose_worker_consumes_every_queue():
    worker = _compose_workers()["worker"]
    assert "profiles" not in worker  # started by a plain `docker compose up`
    assert _queues_option(worker["command"]) == set(all_queues())


def test_the_worker_command_keeps_queues_it_is_given():
    assert worker_argv(["--concurrency=1", "-Q", "sync.vima"]) == ["worker", "--concurrency=1", "-Q", "sync.vima"]
    assert _queues_option(worker_argv(["--queues=sync.iiko"])) == {"sync.iiko"}
    assert _queues_option(worker_argv(["--loglevel=INFO"])) == set(all_queues())


def test_compose_has_an_opt_in_worker_of_its_own_for_each_provider():
    dedicated = {name: service for name, service in _compose_workers().items() if name != "worker"}
    assert {name: _queues_option(service["command"]) for name, service in dedicated.items()} == {
        f"worker-{provider}": {f"sync.{provider}"} for provider in PROVIDERS}
    assert all(service["profiles"] == ["per-provider"] for service in dedicated.values())
