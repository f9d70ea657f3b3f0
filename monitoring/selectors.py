"""Reads of monitoring: who gets alerts, which providers are silent, what the operations page shows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q
from django_celery_beat.models import PeriodicTask

from common.roles import FINANCE_ADMIN
from common.sources import source_names
from integrations.choices import QuarantineState, RunStatus
from integrations.models import QuarantinedRecord, SyncEvidence, SyncRun


def alert_recipients() -> list[str]:
    """Active finance admins with an e-mail address, then ALERT_EMAILS; each address once, in that order."""
    users = get_user_model().objects.filter(is_active=True, groups__name=FINANCE_ADMIN).exclude(email="")
    addresses = list(users.order_by("email").values_list("email", flat=True)) + list(settings.ALERT_EMAILS)
    return list(dict.fromkeys(address.strip() for address in addresses if address.strip()))


@dataclass(frozen=True)
class ProviderSilence:
    """How long a provider has gone without a successful sync, measured from ``since``."""

    source: str
    since: datetime
    silent: bool


def provider_silences(*, now: datetime, threshold: timedelta) -> list[ProviderSilence]:
    """Each scheduled provider's silence: since its last successful sync (or its first attempt, if none succeeded).

    A provider whose sync schedule was switched off in the admin, or that has never run at all, is
    not called silent: nobody expects data from it yet (``/api/v1/health`` says whether beat and
    the worker are alive).
    """
    disabled = set(PeriodicTask.objects.filter(enabled=False).values_list("name", flat=True))
    # Payment providers only: 1C and iiko sync once a day and would always look silent after an hour.
    runs = (SyncRun.objects.filter(kind=SyncRun.Kind.TRANSACTIONS).values("source")
            .annotate(last_ok=Max("finished_at", filter=Q(status=RunStatus.SUCCEEDED)), first=Min("started_at")))
    silences = []
    for row in runs.order_by("source"):
        if row["source"] not in source_names(sink="transactions") or f"sync {row['source']}" in disabled:
            continue
        since = row["last_ok"] or row["first"]
        silences.append(ProviderSilence(row["source"], since, silent=since < now - threshold))
    return silences


def quarantine_counts() -> list[dict]:
    """Open quarantined records per provider and reason, most first (operations page)."""
    return list(
        QuarantinedRecord.objects.filter(state=QuarantineState.OPEN).values("source", "error")
        .annotate(count=Count("id")).order_by("-count", "source", "error")[:50]
    )


def failed_run_evidence(*, limit: int = 50) -> list[SyncEvidence]:
    """Screenshots and HTML kept by failed portal runs, newest first."""
    return list(SyncEvidence.objects.filter(run__status=RunStatus.FAILED).select_related("run")
                .order_by("-created_at")[:limit])


# Cache namespaces the operations page always lists (SPEC 9), besides any that has been read.
KNOWN_CACHE_NAMESPACES = ("metrics", "sync", "reconciliation", "planning.year", "planning.plans", "planning.volumes",
                          "lending.credits", "credit_portfolio")


@dataclass(frozen=True)
class NamespaceStats:
    """One cache namespace: its current version and the hits and misses of every web process."""

    namespace: str
    version: int | None
    hits: int
    misses: int

    @property
    def hit_ratio(self) -> float | None:
        reads = self.hits + self.misses
        return self.hits / reads if reads else None


def cache_namespaces() -> list[NamespaceStats]:
    """Every known or used namespace with its version and its hits and misses since the web processes started."""
    from common.cache import namespace_versions

    hits, misses = _cache_counts()
    names = sorted(set(KNOWN_CACHE_NAMESPACES) | set(hits) | set(misses))
    versions = namespace_versions(names)
    return [NamespaceStats(name, versions.get(name), int(hits.get(name, 0)), int(misses.get(name, 0)))
            for name in names]


def _cache_counts() -> tuple[dict[str, float], dict[str, float]]:
    """Hits and misses per namespace, added up over every process's metrics file (see monitoring.metrics)."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    counts = {"hub_cache_hits_total": {}, "hub_cache_misses_total": {}}
    for family in registry.collect():
        for sample in family.samples:
            if sample.name in counts:
                table = counts[sample.name]
                namespace = sample.labels["namespace"]
                table[namespace] = table.get(namespace, 0) + sample.value
    return counts["hub_cache_hits_total"], counts["hub_cache_misses_total"]


@dataclass(frozen=True)
class ScheduleRow:
    """A django-celery-beat periodic task as the operations page shows it: ``last_run_at`` None until beat has
    started it once; ``due_now`` when it is overdue (beat starts it at its next tick), ``next_run_at`` then now."""

    task: PeriodicTask
    every: str
    last_run_at: datetime | None
    next_run_at: datetime | None
    due_now: bool = False


def schedules(*, now: datetime) -> list[ScheduleRow]:
    """Every periodic task with its timing in words and when beat will next start it (None if switched off).

    A new schedule is written as last run one interval ago so that beat starts it at once: until beat has run
    it (``total_run_count``), that time is not a run and is not shown as one. Celery's own tasks are left out.
    """
    rows = []
    for task in (PeriodicTask.objects.select_related("interval", "crontab").exclude(task__startswith="celery.")
                 .order_by("name")):
        schedule = task.interval or task.crontab
        next_run, due_now = None, False
        if task.enabled and schedule is not None:
            next_run = now + task.schedule.remaining_estimate(task.last_run_at or now)
            due_now = next_run <= now
            next_run = max(next_run, now)
        last_run = task.last_run_at if task.total_run_count else None
        rows.append(ScheduleRow(task, str(schedule) if schedule else "—", last_run, next_run, due_now))
    return rows


def recent_runs(*, failed: bool, since: datetime, limit: int = 25) -> list[SyncRun]:
    """Sync, metadata and backfill runs started after ``since``: only the failed ones, or all, newest first."""
    runs = SyncRun.objects.filter(started_at__gte=since)
    if failed:
        runs = runs.filter(status=RunStatus.FAILED)
    return list(runs.order_by("-started_at")[:limit])


def open_incidents() -> list:
    from monitoring.models import AlertIncident

    return list(AlertIncident.objects.filter(closed_at__isnull=True).order_by("-opened_at"))


def recent_task_failures(*, limit: int = 20) -> list:
    from monitoring.models import TaskFailure

    return list(TaskFailure.objects.order_by("-failed_at")[:limit])
