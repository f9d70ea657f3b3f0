"""What /metrics reads from the database at every scrape: syncs, quarantine, task failures, incidents, the
latest reconciliation run.

These are read rather than counted in memory because the work happens in Celery workers (possibly
on other machines) while /metrics is answered by a web process; the database is the one place
both see, and it survives restarts. Each collector is a grouped query or two; the counters add what
the rows that retention deleted had counted (``monitoring.counters``).
"""

from django.db.models import Count, Max
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from integrations.choices import RunStatus
from integrations.models import QuarantinedRecord, SyncRun
from monitoring.counters import BUCKET_LABELS, Samples, sync_samples, task_failure_samples, with_pruned
from monitoring.models import AlertIncident, TaskFailure
from monitoring.registry import register, register_values
from reconciliation.choices import ResultType
from reconciliation.choices import RunStatus as ReconciliationRunStatus
from reconciliation.models import ReconciliationRun

SYNC_SERIES = ("hub_sync_runs", "hub_sync_rows", "hub_sync_duration_seconds_bucket", "hub_sync_duration_seconds_sum")


class SyncCollector:
    """Sync runs per provider, kind and status; rows per outcome; durations; last success time.

    The counters include the runs retention has deleted (``monitoring.counters``), so they never go down.
    """

    def collect(self):
        samples = with_pruned(sync_samples(SyncRun.objects.all()), SYNC_SERIES)
        runs = CounterMetricFamily("hub_sync_runs", "Finished sync runs.", labels=["provider", "kind", "status"])
        rows = CounterMetricFamily("hub_sync_rows", "Records handled by sync runs, per outcome.",
                                   labels=["provider", "kind", "outcome"])
        for family in (runs, rows):
            for labels, value in _series(samples, family.name):
                family.add_metric(list(labels), value)
        yield runs
        yield rows
        yield self._durations(samples)
        yield self._last_success()

    def _durations(self, samples: Samples):
        family = HistogramMetricFamily("hub_sync_duration_seconds", "Duration of finished sync runs.",
                                       labels=["provider", "kind", "status"])
        buckets: dict[tuple, dict[str, float]] = {}
        for (*labels, le), value in _series(samples, "hub_sync_duration_seconds_bucket"):
            buckets.setdefault(tuple(labels), {})[le] = value
        for labels, counts in sorted(buckets.items()):
            family.add_metric(list(labels), [(le, counts.get(le, 0)) for le in BUCKET_LABELS],
                              sum_value=samples.get(("hub_sync_duration_seconds_sum", labels), 0.0))
        return family

    def _last_success(self):
        family = GaugeMetricFamily("hub_sync_last_success_timestamp_seconds",
                                   "When the provider's last successful sync ended (Unix time).",
                                   labels=["provider", "kind"])
        last = (SyncRun.objects.filter(status=RunStatus.SUCCEEDED).values("source", "kind")
                .annotate(at=Max("finished_at")).order_by("source", "kind"))
        for row in last:
            family.add_metric([row["source"], row["kind"]], row["at"].timestamp())
        return family


def _series(samples: Samples, name: str) -> list[tuple[tuple[str, ...], float]]:
    """The (labels, value) of one series, in label order."""
    return sorted((labels, value) for (series, labels), value in samples.items() if series == name)


class QuarantineCollector:
    def collect(self):
        family = GaugeMetricFamily("hub_quarantined_records", "Quarantined provider records, per provider and state.",
                                   labels=["provider", "state"])
        counts = QuarantinedRecord.objects.values("source", "state").annotate(n=Count("id")).order_by("source", "state")
        for row in counts:
            family.add_metric([row["source"], row["state"]], row["n"])
        yield family


class TaskFailureCollector:
    def collect(self):
        family = CounterMetricFamily("hub_celery_task_failures", "Celery tasks that ended with an exception.",
                                     labels=["task"])
        samples = with_pruned(task_failure_samples(TaskFailure.objects.all()), ("hub_celery_task_failures",))
        for labels, value in _series(samples, "hub_celery_task_failures"):
            family.add_metric(list(labels), value)
        yield family


class IncidentCollector:
    def collect(self):
        family = GaugeMetricFamily("hub_alert_incidents_open", "Open alert incidents.", labels=["kind", "subject"])
        open_incidents = (AlertIncident.objects.filter(closed_at__isnull=True).values("kind", "subject")
                          .annotate(n=Count("id")).order_by("kind", "subject"))
        for row in open_incidents:
            family.add_metric([row["kind"], row["subject"]], row["n"])
        yield family


def _latest_reconciliation_counts() -> dict[tuple[str], int]:
    """The results per class of the latest succeeded reconciliation run that nothing has superseded, from the
    run's stored counts: a scrape every few seconds must not count a million rows."""
    run = (ReconciliationRun.objects.filter(status=ReconciliationRunStatus.SUCCEEDED, superseded_by__isnull=True)
           .order_by("-date_to", "-pk").only("counts").first())
    counts = run.counts if run else {}
    return {(klass,): int(counts.get(klass, 0)) for klass in ResultType.values}


register("sync", SyncCollector())
register("quarantine", QuarantineCollector())
register("task_failures", TaskFailureCollector())
register("incidents", IncidentCollector())
register_values(name="hub_reconciliation_results", documentation="Results per class of the latest current "
                "reconciliation run.", labels=("class",), read=_latest_reconciliation_counts)
