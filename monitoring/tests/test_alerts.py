"""Alerts by e-mail, once per incident: failed syncs (real Vima sandbox), silent providers, discrepancy share.

E-mail goes to Django's locmem backend (test settings): no mail server runs here. The one test of
an unreachable mail server uses the real SMTP backend against a closed loopback port.
"""

import socket
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from common.roles import FINANCE_ADMIN, VIEWER
from common.services import schedules_apply
from integrations.core.runner import sync_run
from integrations.models import SyncRun
from integrations.vima.sync import VimaSource
from monitoring.choices import IncidentKind
from monitoring.models import AlertIncident
from monitoring.services import alert_discrepancy_share, alerts_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(django_user_model, settings):
    """Two finance admins with e-mail (one inactive), a viewer with e-mail, and one extra address."""
    settings.ALERT_EMAILS = ["oncall@example.com"]
    for name, group, active in (("ana", FINANCE_ADMIN, True), ("old", FINANCE_ADMIN, False), ("vic", VIEWER, True)):
        user = django_user_model.objects.create_user(username=name, email=f"{name}@example.com", is_active=active)
        user.groups.add(Group.objects.get(name=group))
    return ["ana@example.com", "oncall@example.com"]


@pytest.fixture
def sync(django_capture_on_commit_callbacks):
    """One Vima run, with the e-mails it queues for after commit sent as a real commit would."""

    def run(settings):
        with django_capture_on_commit_callbacks(execute=True):
            return sync_run(source=VimaSource(settings), trigger="schedule")

    return run


def test_failing_runs_send_one_email_and_a_recovery_closes_the_incident(start_vima, sync, admins, mailoutbox):
    wrong = start_vima(api_key="wrong")
    failures = [sync(wrong) for _ in range(3)]
    assert [run.status for run in failures] == ["failed"] * 3
    assert len(mailoutbox) == 1
    alert = mailoutbox[0]
    assert alert.to == admins
    assert alert.subject == "[finance hub] Alert: Sync failed: vima"
    assert f"Run {failures[0].pk} (schedule) failed: vima answered HTTP 401" in alert.body
    incident = AlertIncident.objects.get()
    assert (incident.kind, incident.subject, incident.occurrences, incident.closed_at) == (
        IncidentKind.SYNC_FAILED, "vima", 3, None)
    assert incident.notified_at is not None and f"Run {failures[2].pk}" in incident.last_detail

    recovered = sync(start_vima())
    assert recovered.status == "succeeded"
    incident.refresh_from_db()
    assert incident.closed_at is not None and incident.closed_reason == f"run {recovered.pk} succeeded"
    assert [m.subject for m in mailoutbox[1:]] == ["[finance hub] Resolved: Sync failed: vima"]
    assert "Seen 3 time(s) while open." in mailoutbox[1].body

    sync(wrong)  # a new failure after the recovery is a new incident, with its own e-mail
    assert AlertIncident.objects.filter(closed_at__isnull=True).count() == 1
    assert [m.subject for m in mailoutbox[2:]] == ["[finance hub] Alert: Sync failed: vima"]


def test_successful_runs_alone_send_nothing(start_vima, sync, admins, mailoutbox):
    assert sync(start_vima()).status == "succeeded"
    assert mailoutbox == [] and not AlertIncident.objects.exists()


def _run(source, *, status="succeeded", ended_minutes_ago):
    ended = timezone.now() - timedelta(minutes=ended_minutes_ago)
    return SyncRun.objects.create(source=source, status=status, started_at=ended - timedelta(seconds=30),
                                  finished_at=ended)


def test_a_provider_silent_past_the_threshold_alerts_once_until_it_syncs_again(
        settings, admins, mailoutbox, django_capture_on_commit_callbacks):
    settings.ALERT_SILENT_MINUTES = 60
    _run("vima", ended_minutes_ago=61)
    _run("vima", status="failed", ended_minutes_ago=5)  # failing since: still silent
    _run("payshack", ended_minutes_ago=59)
    with django_capture_on_commit_callbacks(execute=True):
        alerts_check()
        alerts_check()
    incident = AlertIncident.objects.get()
    assert (incident.kind, incident.subject, incident.occurrences) == (IncidentKind.PROVIDER_SILENT, "vima", 2)
    assert "No successful vima sync for 61 minutes" in incident.summary
    assert [m.subject for m in mailoutbox] == ["[finance hub] Alert: Provider silent: vima"]

    _run("vima", ended_minutes_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        alerts_check()
    incident.refresh_from_db()
    assert incident.closed_at is not None
    assert [m.subject for m in mailoutbox[1:]] == ["[finance hub] Resolved: Provider silent: vima"]


def test_a_provider_never_run_or_switched_off_is_not_silent(settings, admins, mailoutbox):
    settings.ALERT_SILENT_MINUTES = 60
    schedules_apply()
    PeriodicTask.objects.filter(name="sync payshack").update(enabled=False)
    _run("payshack", ended_minutes_ago=600)
    alerts_check()
    assert not AlertIncident.objects.exists() and mailoutbox == []


def test_the_silent_check_is_a_declared_beat_schedule(settings):
    schedules_apply()
    task = PeriodicTask.objects.select_related("interval").get(name="alerts check")
    assert (task.task, task.enabled, task.interval.every) == (
        "monitoring.alerts_check", True, settings.ALERT_CHECK_EVERY_MINUTES * 60)


def test_discrepancy_share_above_the_threshold_alerts_once_per_subject(
        settings, admins, mailoutbox, django_capture_on_commit_callbacks):
    settings.ALERT_DISCREPANCY_SHARE = 0.05
    subject = "vima-payshack 2026-01-10"
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_discrepancy_share(subject=subject, discrepancies=5, total=100) is None  # 5% is not above
        opened = alert_discrepancy_share(subject=subject, discrepancies=12, total=100, detail="7 amount, 5 status.")
        again = alert_discrepancy_share(subject=subject, discrepancies=9, total=100)
    assert opened.pk == again.pk
    assert opened.summary == "12 of 100 results are discrepancies (12.00%, threshold 5.00%). 7 amount, 5 status."
    assert [m.subject for m in mailoutbox] == [f"[finance hub] Alert: Discrepancy share above threshold: {subject}"]
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_discrepancy_share(subject=subject, discrepancies=1, total=100) is None
        assert alert_discrepancy_share(subject="vima-payshack 2026-01-11", discrepancies=0, total=0) is None
    opened.refresh_from_db()
    assert opened.closed_at is not None and opened.occurrences == 2
    assert len(mailoutbox) == 2 and mailoutbox[1].subject.startswith("[finance hub] Resolved:")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_alert_the_mail_server_refused_is_sent_by_the_next_check(
        settings, admins, mailoutbox, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    settings.EMAIL_USE_TLS = False
    with django_capture_on_commit_callbacks(execute=True):
        incident = alert_discrepancy_share(subject="2026-01-10", discrepancies=50, total=100)
    incident.refresh_from_db()
    assert incident.notified_at is None and incident.notify_error.startswith("ConnectionRefusedError")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alerts_check()
    incident.refresh_from_db()
    assert incident.notified_at is not None and incident.notify_error == ""
    assert len(mailoutbox) == 1


def test_without_recipients_the_incident_is_kept_and_says_why(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = alert_discrepancy_share(subject="2026-01-10", discrepancies=50, total=100)
    incident.refresh_from_db()
    assert mailoutbox == [] and incident.notified_at is None
    assert incident.notify_error.startswith("no recipients")
