"""Reads of monitoring: who gets alerts, which providers are silent, what the operations page shows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q
from django_celery_beat.models import PeriodicTask

from common.roles import FINANCE_ADMIN
from integrations.choices import QuarantineState, RunStatus
from integrations.core.providers import PROVIDERS
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
    runs = (SyncRun.objects.filter(kind=SyncRun.Kind.TRANSACTIONS).values("source")
            .annotate(last_ok=Max("finished_at", filter=Q(status=RunStatus.SUCCEEDED)), first=Min("started_at")))
    silences = []
    for row in runs.order_by("source"):
        if row["source"] not in PROVIDERS or f"sync {row['source']}" in disabled:
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


def sync_history(*, limit: int = 50) -> list[SyncRun]:
    """Recent sync, metadata and backfill runs, failures first, then newest first."""
    failed_first = Q(status=RunStatus.FAILED)
    runs = SyncRun.objects.annotate(failed=Count("id", filter=failed_first)).order_by("-failed", "-started_at")
    return list(runs[:limit])


def failed_run_evidence(*, limit: int = 50) -> list[SyncEvidence]:
    """Screenshots and HTML kept by failed portal runs, newest first."""
    return list(SyncEvidence.objects.filter(run__status=RunStatus.FAILED).select_related("run")
                .order_by("-created_at")[:limit])
