"""What /metrics reads from the database at every scrape: syncs, quarantine, task failures, incidents.

These are read rather than counted in memory because the work happens in Celery workers (possibly
on other machines) while /metrics is answered by a web process; the database is the one place
both see, and it survives restarts. Each collector is one grouped query.
"""

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from integrations.choices import RunStatus
from integrations.models import QuarantinedRecord, SyncRun
from monitoring.models import AlertIncident, TaskFailure
from monitoring.registry import register

# Upper bounds of the sync duration buckets, seconds: a quick incremental run takes seconds, a
# first full sync or a portal run minutes, and the task's hard limit is 35 minutes.
DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 2100)
ROW_OUTCOMES = ("fetched", "inserted", "updated", "unchanged", "quarantined")


class SyncCollector:
    """Sync runs per provider, kind and status; rows per outcome; durations; last success time."""

    def collect(self):
        yield from self._runs_and_rows()
        yield from self._durations()
        yield self._last_success()

    def _runs_and_rows(self):
        runs = CounterMetricFamily("hub_sync_runs", "Finished sync runs.", labels=["provider", "kind", "status"])
        rows = CounterMetricFamily("hub_sync_rows", "Records handled by sync runs, per outcome.",
                                   labels=["provider", "kind", "outcome"])
        totals = (SyncRun.objects.values("source", "kind", "status")
                  .annotate(n=Count("id"), **{name: Sum(name) for name in ROW_OUTCOMES}).order_by())
        by_source_kind: dict[tuple, dict] = {}
        for row in totals:
            if row["status"] != RunStatus.RUNNING:
                runs.add_metric([row["source"], row["kind"], row["status"]], row["n"])
            sums = by_source_kind.setdefault((row["source"], row["kind"]), dict.fromkeys(ROW_OUTCOMES, 0))
            for name in ROW_OUTCOMES:
                sums[name] += row[name] or 0
        for (source, kind), sums in sorted(by_source_kind.items()):
            for name in ROW_OUTCOMES:
                rows.add_metric([source, kind, name], sums[name])
        yield runs
        yield rows

    def _durations(self):
        family = HistogramMetricFamily("hub_sync_duration_seconds", "Duration of finished sync runs.",
                                       labels=["provider", "kind", "status"])
        duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        buckets = {f"le_{i}": Count("id", filter=Q(duration__lte=timedelta(seconds=bound)))
                   for i, bound in enumerate(DURATION_BUCKETS)}
        groups = (SyncRun.objects.filter(finished_at__isnull=False).annotate(duration=duration)
                  .values("source", "kind", "status").annotate(n=Count("id"), total=Sum("duration"), **buckets)
                  .order_by("source", "kind", "status"))
        for group in groups:
            counts = [(str(float(bound)), group[f"le_{i}"]) for i, bound in enumerate(DURATION_BUCKETS)]
            family.add_metric([group["source"], group["kind"], group["status"]], [*counts, ("+Inf", group["n"])],
                              sum_value=_seconds(group["total"]))
        yield family

    def _last_success(self):
        family = GaugeMetricFamily("hub_sync_last_success_timestamp_seconds",
                                   "When the provider's last successful sync ended (Unix time).",
                                   labels=["provider", "kind"])
        last = (SyncRun.objects.filter(status=RunStatus.SUCCEEDED).values("source", "kind")
                .annotate(at=Max("finished_at")).order_by("source", "kind"))
        for row in last:
            family.add_metric([row["source"], row["kind"]], row["at"].timestamp())
        return family


def _seconds(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # some backends hand back a sum of durations as microseconds


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
        for row in TaskFailure.objects.values("task_name").annotate(n=Count("id")).order_by("task_name"):
            family.add_metric([row["task_name"]], row["n"])
        yield family


class IncidentCollector:
    def collect(self):
        family = GaugeMetricFamily("hub_alert_incidents_open", "Open alert incidents.", labels=["kind", "subject"])
        open_incidents = (AlertIncident.objects.filter(closed_at__isnull=True).values("kind", "subject")
                          .annotate(n=Count("id")).order_by("kind", "subject"))
        for row in open_incidents:
            family.add_metric([row["kind"], row["subject"]], row["n"])
        yield family


register("sync", SyncCollector())
register("quarantine", QuarantineCollector())
register("task_failures", TaskFailureCollector())
register("incidents", IncidentCollector())
