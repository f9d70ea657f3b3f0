"""The operations page: finance admins only; cache bump, schedule switch and run-now buttons."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from common.cache import cached, namespace_versions
from common.models import Heartbeat
from common.services import schedules_apply
from config.celery import app as celery_app
from integrations.models import QuarantinedRecord, SyncEvidence, SyncRun

pytestmark = pytest.mark.django_db
PAGE = "/admin/operations/"


@pytest.fixture
def admin_client(client, finance_admin):
    client.force_login(finance_admin)
    return client


def test_viewers_and_managers_get_403_and_anonymous_users_the_login_page(client, viewer, finance_manager):
    assert client.get(PAGE).status_code == 302 and "/admin/login/" in client.get(PAGE)["Location"]
    for user in (viewer, finance_manager):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(reverse("operations:cache-bump", args=["metrics"])).status_code == 403
    assert b"operations-link" not in client.get("/admin/").content


def test_the_page_shows_schedules_failures_first_quarantine_and_evidence(admin_client):
    schedules_apply()
    now = timezone.now()
    ok = SyncRun.objects.create(source="vima", status="succeeded", started_at=now, finished_at=now, fetched=7)
    failed = SyncRun.objects.create(source="payshack", mode="portal", status="failed", started_at=now,
                                    finished_at=now, error="portal layout changed: no table#payins")
    evidence = SyncEvidence(run=failed, name="screenshot.png")
    evidence.file.save("run-test-screenshot.png", ContentFile(b"\x89PNG"), save=True)
    QuarantinedRecord.objects.bulk_create(
        QuarantinedRecord(source="payshack", raw_payload={}, error="LookupError: no project for client X")
        for _ in range(3))

    response = admin_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('id="sync-history"') < html.index("portal layout changed") < html.index("Latest runs")
    assert reverse("admin:integrations_syncrun_change", args=[ok.pk]) in html
    assert reverse("admin:integrations_syncevidence_download", args=[evidence.pk]) in html
    assert "<td>payshack</td><td>3</td><td>LookupError: no project for client X</td>" in html
    for name in ("sync vima", "sync payshack", "alerts check", "worker heartbeat"):
        assert f">{name}</a>" in html
    assert [row.task.name for row in response.context["schedules"] if row.next_run_at is None] == []
    assert b"operations-link" in admin_client.get("/admin/").content


def _metrics_row(page):
    return next(ns for ns in page.context["namespaces"] if ns.namespace == "metrics")


def test_the_bump_button_makes_cached_answers_unreachable(admin_client):
    # Counts are the process's since it started (other tests read the cache too): compare before and after.
    counted_before = _metrics_row(admin_client.get(PAGE))
    computed = []
    answer = lambda: cached("metrics", "k", ttl=60, compute=lambda: computed.append(1) or len(computed))  # noqa: E731
    assert (answer(), answer()) == (1, 1)
    before = namespace_versions(["metrics"])["metrics"]

    response = admin_client.post(reverse("operations:cache-bump", args=["metrics"]))
    assert response.status_code == 302
    assert namespace_versions(["metrics"])["metrics"] == before + 1
    assert answer() == 2  # computed afresh under the new version
    counted = _metrics_row(admin_client.get(PAGE))
    assert (counted.version, counted.hits - counted_before.hits, counted.misses - counted_before.misses) == (
        before + 1, 1, 2)


def test_an_unknown_namespace_is_404_and_get_is_not_allowed(admin_client):
    assert admin_client.post(reverse("operations:cache-bump", args=["nope"])).status_code == 404
    assert admin_client.get(reverse("operations:cache-bump", args=["metrics"])).status_code == 405


def test_schedules_switch_off_and_on(admin_client):
    schedules_apply()
    task = PeriodicTask.objects.get(name="sync vima")
    url = reverse("operations:schedule-toggle", args=[task.pk])
    admin_client.post(url)
    task.refresh_from_db()
    assert task.enabled is False
    admin_client.post(url)
    task.refresh_from_db()
    assert task.enabled is True


@pytest.fixture
def eager():
    """Run queued tasks in this process: the broker is not what this test is about."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.usefixtures("eager")
def test_run_now_queues_the_task_after_commit(admin_client, django_capture_on_commit_callbacks):
    schedules_apply()
    task = PeriodicTask.objects.get(name="worker heartbeat")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        admin_client.post(reverse("operations:schedule-run", args=[task.pk]))
    assert not Heartbeat.objects.exists() and len(queued) == 1
    queued[0]()
    assert Heartbeat.objects.get().name == "worker"


def test_a_fresh_schedule_reads_not_yet_run_and_due_now_and_celerys_own_tasks_are_not_listed(admin_client):
    schedules_apply()  # a new interval schedule is written as if it last ran an interval ago: due at once
    PeriodicTask.objects.create(name="celery.backend_cleanup", task="celery.backend_cleanup",
                                crontab=PeriodicTask.objects.exclude(crontab=None).first().crontab)
    page = admin_client.get(PAGE)
    rows = {row.task.name: row for row in page.context["schedules"]}
    assert "celery.backend_cleanup" not in rows
    vima = rows["sync vima"]
    assert (vima.last_run_at, vima.due_now) == (None, True) and vima.next_run_at >= vima.task.last_run_at
    html = page.content.decode()
    assert "due now" in html and "not yet" in html
    PeriodicTask.objects.filter(name="sync vima").update(total_run_count=1, last_run_at=timezone.now())
    vima = next(row for row in admin_client.get(PAGE).context["schedules"] if row.task.name == "sync vima")
    assert vima.last_run_at is not None and not vima.due_now and vima.next_run_at > vima.last_run_at
