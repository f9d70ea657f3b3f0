"""GET /metrics after a real Vima sync against the sandbox, and who may read it."""

import pytest

from integrations.core.runner import sync_run
from integrations.vima.sync import VimaSource
from monitoring.models import TaskFailure
from monitoring.tests.conftest import sample

pytestmark = pytest.mark.django_db


def test_anonymous_scrapes_are_refused_with_401(client):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"hub_" not in response.content


def test_a_wrong_token_is_refused_and_no_token_setting_accepts_none(client, settings):
    settings.METRICS_TOKEN = "the-real-one"
    assert client.get("/metrics", headers={"Authorization": "Bearer guessed"}).status_code == 401
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401


def test_a_viewer_session_is_forbidden_and_a_finance_admin_session_reads_them(client, viewer, finance_admin):
    client.force_login(viewer)
    assert client.get("/metrics").status_code == 403
    client.force_login(finance_admin)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


def test_a_sync_shows_its_runs_rows_duration_and_quarantine(start_vima, scrape):
    run = sync_run(source=VimaSource(start_vima(malformed=0.02)), trigger="command")
    assert run.status == "succeeded" and run.inserted > 0 and run.quarantined > 0
    samples = scrape()
    labels = {"provider": "vima", "kind": "transactions"}
    assert sample(samples, "hub_sync_runs_total", status="succeeded", **labels) == 1
    assert sample(samples, "hub_sync_runs_total", status="failed", **labels) == 0
    for outcome in ("fetched", "inserted", "updated", "unchanged", "quarantined"):
        assert sample(samples, "hub_sync_rows_total", outcome=outcome, **labels) == getattr(run, outcome)
    assert sample(samples, "hub_sync_duration_seconds_count", status="succeeded", **labels) == 1
    assert sample(samples, "hub_sync_duration_seconds_bucket", status="succeeded", le="+Inf", **labels) == 1
    assert sample(samples, "hub_sync_duration_seconds_sum", status="succeeded", **labels) == pytest.approx(
        run.duration_seconds, abs=1e-3)
    assert sample(samples, "hub_sync_last_success_timestamp_seconds", **labels) == pytest.approx(
        run.finished_at.timestamp(), abs=1e-3)
    assert sample(samples, "hub_quarantined_records", provider="vima", state="open") == run.quarantined
    assert sample(samples, "hub_metrics_collector_up", collector="sync") == 1


def test_request_latencies_and_cache_hits_and_misses_are_counted(client, finance_admin, scrape):
    before = scrape()
    client.force_login(finance_admin)
    for _ in range(3):  # one miss, then two answers from the cache
        assert client.get("/api/v1/sync/status").status_code == 200
    after = scrape()

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("hub_cache_misses_total", namespace="sync") == 1
    assert grew("hub_cache_hits_total", namespace="sync") == 2
    view = {"view": "sync-status", "method": "GET", "status": "200"}
    assert grew("hub_http_request_duration_seconds_count", **view) == 3
    assert grew("hub_http_request_duration_seconds_bucket", le="+Inf", **view) == 3


def test_a_failing_celery_task_is_recorded_and_counted(scrape):
    from integrations.tasks import sync_provider

    result = sync_provider.apply(kwargs={"source": "no-such-provider"})
    assert result.failed()
    failure = TaskFailure.objects.get()
    assert (failure.task_name, failure.task_id) == ("integrations.sync_provider", result.id)
    assert failure.exception.startswith("LookupError: unknown provider 'no-such-provider'")
    assert sample(scrape(), "hub_celery_task_failures_total", task="integrations.sync_provider") == 1
