"""The counters /metrics reads from the database, as samples: what a set of rows counts, plus what pruned rows had.

A sample is keyed by its name and label values, e.g. ``("hub_sync_runs", ("vima", "transactions",
"succeeded"))``. The collectors turn the samples of every row into metric families; retention
computes the samples of the rows it is about to delete with the same functions and keeps them in
``PrunedTotal``, so a counter stays what it was when its rows go.
"""

import json
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum

from integrations.choices import RunStatus
from monitoring.models import PrunedTotal

Samples = dict[tuple[str, tuple[str, ...]], float]

# Upper bounds of the sync duration buckets, seconds: a quick incremental run takes seconds, a
# first full sync or a portal run minutes, and the task's hard limit is 35 minutes.
DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 2100)
BUCKET_LABELS = (*(str(float(bound)) for bound in DURATION_BUCKETS), "+Inf")
ROW_OUTCOMES = ("fetched", "inserted", "updated", "unchanged", "quarantined")


def sync_samples(runs: QuerySet) -> Samples:
    """Finished runs per provider, kind and status; rows per outcome; the duration histogram's buckets and sum."""
    samples: Samples = {}
    totals = runs.values("source", "kind", "status").annotate(
        n=Count("id"), **{name: Sum(name) for name in ROW_OUTCOMES}).order_by()
    for row in totals:
        if row["status"] != RunStatus.RUNNING:
            _add(samples, "hub_sync_runs", (row["source"], row["kind"], row["status"]), row["n"])
        for name in ROW_OUTCOMES:
            _add(samples, "hub_sync_rows", (row["source"], row["kind"], name), row[name] or 0)
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    buckets = {f"le_{i}": Count("id", filter=Q(duration__lte=timedelta(seconds=bound)))
               for i, bound in enumerate(DURATION_BUCKETS)}
    groups = (runs.filter(finished_at__isnull=False).annotate(duration=duration)
              .values("source", "kind", "status").annotate(n=Count("id"), total=Sum("duration"), **buckets)
              .order_by())
    for group in groups:
        labels = (group["source"], group["kind"], group["status"])
        counts = [group[f"le_{i}"] for i in range(len(DURATION_BUCKETS))] + [group["n"]]
        for le, count in zip(BUCKET_LABELS, counts, strict=True):
            _add(samples, "hub_sync_duration_seconds_bucket", (*labels, le), count)
        _add(samples, "hub_sync_duration_seconds_sum", labels, _seconds(group["total"]))
    return samples


def task_failure_samples(failures: QuerySet) -> Samples:
    """Failed Celery tasks per task name."""
    samples: Samples = {}
    for row in failures.values("task_name").annotate(n=Count("id")).order_by():
        _add(samples, "hub_celery_task_failures", (row["task_name"],), row["n"])
    return samples


def pruned_samples(series: tuple[str, ...]) -> Samples:
    """What pruned rows had added to these series."""
    return {(row.series, tuple(json.loads(row.labels))): row.value
            for row in PrunedTotal.objects.filter(series__in=series)}


def with_pruned(samples: Samples, series: tuple[str, ...]) -> Samples:
    """``samples`` plus what pruned rows had added to these series."""
    total = dict(samples)
    for (name, labels), value in pruned_samples(series).items():
        _add(total, name, labels, value)
    return total


def _add(samples: Samples, name: str, labels: tuple[str, ...], value: float) -> None:
    samples[(name, labels)] = samples.get((name, labels), 0) + value


def _seconds(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # some backends hand back a sum of durations as microseconds
