"""Writes of the common app: leases and heartbeats."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from common.models import Heartbeat, Lease


def lease_acquire(*, name: str, holder: str, ttl: timedelta) -> bool:
    """Claim the lease ``name`` for ``holder`` until now + ``ttl``; False if someone else holds it.

    The claim is one conditional UPDATE: it succeeds only when the lease is free, expired, or
    already ours, and the row count says whether it did.
    """
    now = timezone.now()
    claimed = Lease.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__lte=now) | Q(holder=holder), name=name
    ).update(holder=holder, acquired_at=now, expires_at=now + ttl)
    if claimed:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
    except IntegrityError:
        return False  # the row exists and is held by someone else
    return True


def lease_renew(*, name: str, holder: str, ttl: timedelta) -> bool:
    """Extend our lease; False when it was lost (expired and taken by another holder)."""
    now = timezone.now()
    return bool(Lease.objects.filter(name=name, holder=holder).update(expires_at=now + ttl))


def lease_holder(*, name: str) -> str:
    """Who holds the lease ``name`` now ("" when nobody does)."""
    return Lease.objects.filter(name=name).values_list("holder", flat=True).first() or ""


def lease_take_over(*, name: str, holder: str, dead_holder: str, ttl: timedelta) -> bool:
    """Claim the lease of ``dead_holder``, a worker found dead, before it expires; False if it changed hands."""
    now = timezone.now()
    return bool(Lease.objects.filter(name=name, holder=dead_holder)
                .update(holder=holder, acquired_at=now, expires_at=now + ttl))


def lease_release(*, name: str, holder: str) -> None:
    """Give the lease back, if we still hold it."""
    Lease.objects.filter(name=name, holder=holder).update(holder="", expires_at=None)


def heartbeat_record(*, name: str, detail: str = "") -> None:
    """Note that process ``name`` is alive now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"last_seen_at": timezone.now(), "detail": detail})


CELERY_BACKEND_CLEANUP = "celery.backend_cleanup"


def schedules_apply(*, reset: bool = False) -> list[tuple[str, str]]:
    """Write every declared schedule to django-celery-beat; returns (name, "created"|"updated"|"kept").

    Idempotent. Without ``reset``, an existing row keeps the interval and on/off state set in
    the admin; only the task path, arguments and queue follow the code.
    """
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, PeriodicTasks

    from common.scheduling import registered_schedules

    outcome = []
    for spec in registered_schedules():
        timing = {}
        if spec.every_seconds is not None:
            timing = {"interval": _first_or_create(IntervalSchedule, every=spec.every_seconds,
                                                   period=IntervalSchedule.SECONDS), "crontab": None}
        else:
            minute, hour, day_of_month, month_of_year, day_of_week = spec.crontab.split()
            crontab = _first_or_create(
                CrontabSchedule, minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year,
                day_of_week=day_of_week, timezone=spec.timezone,
            )
            timing = {"crontab": crontab, "interval": None}
        code_fields = {"task": spec.task, "kwargs": spec.kwargs, "queue": spec.queue, "description": spec.description}
        task = PeriodicTask.objects.filter(name=spec.name).first()
        if task is None:
            # A new interval task is due at beat's first tick, not one whole interval later.
            first_due = timezone.now() - timedelta(seconds=spec.every_seconds) if spec.every_seconds else None
            PeriodicTask.objects.create(name=spec.name, enabled=True, last_run_at=first_due, **code_fields, **timing)
            outcome.append((spec.name, "created"))
            continue
        changes = {**code_fields, **(timing if reset else {}), **({"enabled": True} if reset else {})}
        PeriodicTask.objects.filter(pk=task.pk).update(**changes)
        outcome.append((spec.name, "updated" if reset else "kept"))
    # Written by beat before CELERY_RESULT_EXPIRES was None: Celery's housekeeping, not a finance schedule.
    if PeriodicTask.objects.filter(name=CELERY_BACKEND_CLEANUP).delete()[0]:
        outcome.append((CELERY_BACKEND_CLEANUP, "deleted"))
    PeriodicTasks.update_changed()  # queryset updates skip the signal beat watches for changes
    return outcome


def _first_or_create(model, **fields):
    """Like get_or_create, for schedule tables where the admin may already hold duplicates."""
    return model.objects.filter(**fields).order_by("pk").first() or model.objects.create(**fields)
