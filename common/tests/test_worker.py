"""A real Celery worker consumes a real broker: the filesystem transport on the embedded default,
RabbitMQ in CI's service run."""

import pytest
from celery.contrib.testing.worker import start_worker

from common.models import Heartbeat
from common.tasks import heartbeat
from config.celery import app
from conftest import wait_for


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_heartbeat_task_from_the_broker():
    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        heartbeat.delay()
        wait_for(lambda: Heartbeat.objects.filter(name="worker").exists())
    assert Heartbeat.objects.get(name="worker").detail != ""

