"""Writes of monitoring: alert incidents and their e-mails, and failed-task records.

An incident opens on the first sign of a problem and sends one e-mail to the finance admins;
further signs while it is open are only counted. It closes when the problem is gone (the provider
synced successfully, a reconciliation came back under the threshold), with a short "resolved"
e-mail if the alert went out.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import SyncRun
from monitoring.choices import IncidentKind
from monitoring.models import AlertIncident, TaskFailure
from monitoring.selectors import alert_recipients, provider_silences

logger = logging.getLogger(__name__)


def incident_report(*, kind: str, subject: str, detail: str) -> AlertIncident | None:
    """Note a problem: opens an incident and e-mails the finance admins, or counts one more occurrence.

    Returns the open incident (None only if it was closed in the same instant by another process).
    """
    now, detail = timezone.now(), detail[:5000]
    open_incident = AlertIncident.objects.filter(kind=kind, subject=subject, closed_at__isnull=True)
    if _count_occurrence(open_incident, detail, now):
        return open_incident.first()
    try:
        with transaction.atomic():
            incident = AlertIncident.objects.create(kind=kind, subject=subject, summary=detail, last_detail=detail,
                                                    opened_at=now, last_seen_at=now)
    except IntegrityError:  # another process opened it a moment ago (one open per kind and subject)
        _count_occurrence(open_incident, detail, now)
        return open_incident.first()
    # After commit: a caller's transaction that rolls back takes the incident with it, and no e-mail.
    transaction.on_commit(lambda: _notify(incident))
    return incident


def _count_occurrence(open_incident, detail: str, now: datetime) -> int:
    return open_incident.update(occurrences=F("occurrences") + 1, last_seen_at=now, last_detail=detail)


def incident_resolve(*, kind: str, subject: str, reason: str) -> AlertIncident | None:
    """Close the open incident of ``kind`` about ``subject``, if any; returns it."""
    now = timezone.now()
    incident = AlertIncident.objects.filter(kind=kind, subject=subject, closed_at__isnull=True).first()
    if incident is None:
        return None
    closed = AlertIncident.objects.filter(pk=incident.pk, closed_at__isnull=True).update(
        closed_at=now, closed_reason=reason[:255])
    if not closed:
        return None  # closed by someone else meanwhile
    incident.closed_at, incident.closed_reason = now, reason[:255]
    if incident.notified_at is not None:
        transaction.on_commit(lambda: _send(incident, resolved=True))
    return incident


def alert_sync_finished(*, run: SyncRun) -> None:
    """A failed run opens (or counts on) its provider's incident; a successful one closes it."""
    subject = sync_subject(run)
    if run.status == RunStatus.FAILED:
        incident_report(kind=IncidentKind.SYNC_FAILED, subject=subject,
                        detail=f"Run {run.pk} ({run.trigger}) failed: {run.error or 'no reason recorded'}")
    elif run.status == RunStatus.SUCCEEDED:
        reason = f"run {run.pk} succeeded"
        incident_resolve(kind=IncidentKind.SYNC_FAILED, subject=subject, reason=reason)
        if run.kind == SyncRun.Kind.TRANSACTIONS:
            incident_resolve(kind=IncidentKind.PROVIDER_SILENT, subject=run.source, reason=reason)


def sync_subject(run: SyncRun) -> str:
    """The incident subject of a run: the provider, or the provider and kind for non-transaction runs."""
    return run.source if run.kind == SyncRun.Kind.TRANSACTIONS else f"{run.source} {run.kind}"


def alerts_check(*, now: datetime | None = None) -> None:
    """The periodic check: silent providers open or close their incidents; unsent alerts are tried again."""
    now = now or timezone.now()
    threshold = timedelta(minutes=settings.ALERT_SILENT_MINUTES)
    for silence in provider_silences(now=now, threshold=threshold):
        if silence.silent:
            minutes = int((now - silence.since).total_seconds() // 60)
            incident_report(kind=IncidentKind.PROVIDER_SILENT, subject=silence.source,
                            detail=f"No successful {silence.source} sync for {minutes} minutes "
                                   f"(since {silence.since:%Y-%m-%d %H:%M} UTC; threshold "
                                   f"{settings.ALERT_SILENT_MINUTES} minutes).")
        else:
            incident_resolve(kind=IncidentKind.PROVIDER_SILENT, subject=silence.source,
                             reason=f"synced successfully at {silence.since:%Y-%m-%d %H:%M} UTC")
    for incident in AlertIncident.objects.filter(closed_at__isnull=True, notified_at__isnull=True):
        _notify(incident)


def alert_discrepancy_share(*, subject: str, discrepancies: int, total: int, detail: str = "") -> AlertIncident | None:
    """After each reconciliation run (``monitoring.receivers``): alerts when discrepancies / total is above
    ALERT_DISCREPANCY_SHARE.

    ``subject`` names what was reconciled (e.g. ``"vima-payshack 2026-01-10"``): a rerun of the
    same subject still above the threshold counts on the open incident instead of e-mailing again,
    and a run at or under the threshold closes it. Returns the open incident, or None.
    """
    share = Decimal(discrepancies) / Decimal(total) if total else Decimal(0)
    threshold = Decimal(str(settings.ALERT_DISCREPANCY_SHARE))
    if share <= threshold:
        incident_resolve(kind=IncidentKind.DISCREPANCY_SHARE, subject=subject,
                         reason=f"discrepancy share {share:.2%} is at or under {threshold:.2%}")
        return None
    text = f"{discrepancies} of {total} results are discrepancies ({share:.2%}, threshold {threshold:.2%})."
    return incident_report(kind=IncidentKind.DISCREPANCY_SHARE, subject=subject,
                           detail=f"{text} {detail}".strip())


def task_failure_record(*, task_name: str, task_id: str, exception: BaseException) -> TaskFailure:
    """Keep one failed Celery task (counted on /metrics, listed on the operations page)."""
    return TaskFailure.objects.create(task_name=task_name[:200], task_id=(task_id or "")[:64],
                                      exception=f"{type(exception).__name__}: {exception}"[:5000],
                                      failed_at=timezone.now())


def _notify(incident: AlertIncident) -> None:
    """Send the incident's alert unless someone already did: the claim (a conditional update) comes
    first, so the process that opened it and a periodic retry never both send; a failed send gives
    the claim back for the next check to retry."""
    now = timezone.now()
    if not AlertIncident.objects.filter(pk=incident.pk, notified_at__isnull=True).update(notified_at=now):
        return
    incident.notified_at = now
    if _send(incident, resolved=False):
        AlertIncident.objects.filter(pk=incident.pk).update(notify_error="")
        incident.notify_error = ""
    else:
        AlertIncident.objects.filter(pk=incident.pk).update(notified_at=None)
        incident.notified_at = None


def _send(incident: AlertIncident, *, resolved: bool) -> bool:
    """E-mail the finance admins about ``incident``; False (and the reason kept) when it could not go out."""
    recipients = alert_recipients()
    if not recipients:
        return _failed(incident, "no recipients: no finance_admin user has an e-mail and ALERT_EMAILS is empty",
                       resolved)
    title = f"{'Resolved' if resolved else 'Alert'}: {incident.get_kind_display()}: {incident.subject}"
    try:
        send_mail(settings.EMAIL_SUBJECT_PREFIX + title, _body(incident, resolved), None, recipients)
    except Exception as exc:  # noqa: BLE001 — a mail outage must not fail the sync or check that raised the alert
        return _failed(incident, f"{type(exc).__name__}: {exc}", resolved)
    return True


def _failed(incident: AlertIncident, reason: str, resolved: bool) -> bool:
    logger.warning("alert e-mail for incident %s not sent: %s", incident.pk, reason)
    if not resolved:
        AlertIncident.objects.filter(pk=incident.pk).update(notify_error=reason[:2000])
    return False


def _body(incident: AlertIncident, resolved: bool) -> str:
    lines = [
        f"{incident.get_kind_display()}: {incident.subject}",
        f"Opened: {incident.opened_at:%Y-%m-%d %H:%M:%S} UTC",
        f"First seen: {incident.summary}",
    ]
    if resolved:
        lines += [f"Closed: {incident.closed_at:%Y-%m-%d %H:%M:%S} UTC ({incident.closed_reason})",
                  f"Seen {incident.occurrences} time(s) while open."]
    lines += ["", "Details: admin → Monitoring and alerts → Alert incidents, and the operations page."]
    return "\n".join(lines)


def schedule_toggle(*, task_id: int) -> bool:
    """Switch a periodic task on or off; returns whether it is now enabled.

    A model save, not a queryset update: django-celery-beat notices changes through its save signal.
    """
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(pk=task_id)
    task.enabled = not task.enabled
    task.save(update_fields=["enabled"])
    return task.enabled


def schedule_run_now(*, task_id: int) -> str:
    """Queue a periodic task's task with its arguments now, outside its schedule (after commit); returns its name."""
    import json

    from django_celery_beat.models import PeriodicTask

    from config.celery import app

    task = PeriodicTask.objects.get(pk=task_id)
    args, kwargs = json.loads(task.args or "[]"), json.loads(task.kwargs or "{}")
    options = {"queue": task.queue} if task.queue else {}
    app.loader.import_default_modules()  # a web process loads the apps' tasks modules only when asked
    registered = app.tasks.get(task.task)
    if registered is None:  # declared in a schedule but not importable here: let the worker resolve it
        transaction.on_commit(lambda: app.send_task(task.task, args=args, kwargs=kwargs, **options))
    else:
        transaction.on_commit(lambda: registered.apply_async(args=args, kwargs=kwargs, **options))
    return task.name
