"""POST /api/v1/sync/trigger and GET /api/v1/sync/status, with the task run eagerly against the sandbox."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from config.celery import app as celery_app
from transactions.models import Transaction

from .conftest import EMAIL, PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("payshack_mapping")]


@pytest.fixture
def eager():
    """Run queued tasks in this process: the broker is not what these tests are about."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.usefixtures("eager")
def test_a_manager_triggers_a_sync_and_the_status_shows_it(api_client, finance_manager, payshack, settings):
    server = payshack()
    settings.PAYSHACK_API_URL, settings.PAYSHACK_EMAIL, settings.PAYSHACK_PASSWORD = server.url, EMAIL, PASSWORD
    settings.PAYSHACK_INITIAL_DAYS = (date.today() - date(2026, 1, 9)).days
    call_command("setup_schedules", stdout=StringIO())
    api_client.force_authenticate(finance_manager)

    queued = api_client.post("/api/v1/sync/trigger", {"source": "payshack"}, format="json")
    assert queued.status_code == 202 and [q["source"] for q in json.loads(queued.content)["data"]["queued"]] == [
        "payshack"]

    status = {row["source"]: row for row in json.loads(api_client.get("/api/v1/sync/status").content)["data"]}
    payshack_status = status["payshack"]
    assert payshack_status["status"] == "succeeded" and payshack_status["error"] == ""
    assert payshack_status["records_synced"] == Transaction.objects.filter(source="payshack").count() > 900
    assert set(payshack_status["last_cursor"]) == {"payin", "payout"}
    assert payshack_status["next_scheduled_run"] is not None
    assert status["vima"]["status"] == "never_run"


def test_a_viewer_reads_the_status_but_cannot_trigger(api_client, viewer):
    api_client.force_authenticate(viewer)
    assert api_client.get("/api/v1/sync/status").status_code == 200
    refused = api_client.post("/api/v1/sync/trigger", {}, format="json")
    assert refused.status_code == 403 and json.loads(refused.content)["error"]["code"] == "PERMISSION_DENIED"


def test_an_unknown_source_is_a_400_naming_it(api_client, finance_manager):
    api_client.force_authenticate(finance_manager)
    answer = api_client.post("/api/v1/sync/trigger", {"source": "paypal"}, format="json")
    assert answer.status_code == 400 and "source" in json.loads(answer.content)["error"]["details"]
