"""A provider's sync task reaches a worker that consumes only that provider's queue (README: scale-out)."""


import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from conftest import wait_for
from integrations.models import SyncRun
from integrations.payshack.tests.conftest import EMAIL, PASSWORD, payshack  # noqa: F401 — the sandbox fixture
from integrations.tasks import sync_metadata


@pytest.mark.django_db(transaction=True)
def test_a_worker_of_the_providers_own_queue_runs_a_sync_queued_before_it_started(payshack, settings):  # noqa: F811
    server = payshack()
    settings.PAYSHACK_API_URL, settings.PAYSHACK_EMAIL, settings.PAYSHACK_PASSWORD = server.url, EMAIL, PASSWORD
    # Queued while no worker listens: the queue must exist on the broker from the first message on, as
    # when beat sends a provider's first sync before its dedicated worker has started.
    sync_metadata.delay("payshack")
    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=30,
                      queues=["sync.payshack"]):
        wait_for(lambda: SyncRun.objects.filter(source="payshack", kind="metadata").exclude(status="running")
                  .exists())
    run = SyncRun.objects.get(source="payshack", kind="metadata")
    assert (run.status, run.error) == ("succeeded", "")
    assert run.fetched > 0

