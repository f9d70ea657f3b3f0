"""What monitoring remembers: alert incidents (so each alerts once) and failed Celery tasks."""

from django.db import models
from django.db.models import Q

from monitoring.choices import IncidentKind


class AlertIncident(models.Model):
    """One problem from the moment it was first seen until it went away: one e-mail when it opens.

    Repeats while it is open (a sync failing again, the next silent check) only count
    ``occurrences``; the database allows one open incident per kind and subject, so two processes
    seeing the same failure at once cannot both open one (and both send an e-mail).
    """

    kind = models.CharField(max_length=32, choices=IncidentKind.choices)
    subject = models.CharField(max_length=128, help_text="What it is about: a provider, a reconciliation date…")
    summary = models.TextField(help_text="What was seen first.")
    last_detail = models.TextField(blank=True, default="", help_text="What was seen most recently.")
    occurrences = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=255, blank=True, default="")
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the alert e-mail went out.")
    notify_error = models.TextField(blank=True, default="", help_text="Why the e-mail could not be sent (retried).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject"], condition=Q(closed_at__isnull=True),
                                    name="alert_incident_one_open"),
        ]
        indexes = [models.Index(fields=["-opened_at"], name="alert_incident_opened")]
        ordering = ["-opened_at"]

    def __str__(self):
        state = "open" if self.closed_at is None else "closed"
        return f"{self.get_kind_display()}: {self.subject} ({state})"


class TaskFailure(models.Model):
    """A Celery task that ended with an exception, written by the worker that ran it.

    Kept in the database so that /metrics and the operations page see failures from every
    worker, on every machine, whichever web process answers.
    """

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64, blank=True, default="")
    exception = models.TextField()
    failed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["task_name", "-failed_at"], name="task_failure_name_time")]
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.task_name} failed at {self.failed_at:%Y-%m-%d %H:%M:%S}Z"


class PrunedTotal(models.Model):
    """What rows deleted by retention had added to a counter on /metrics, so that the counter never goes down.

    /metrics counts sync runs and task failures from their rows at every scrape. Deleting old rows
    would make those counters fall, which Prometheus takes for a restart and turns into a false jump
    in ``increase()``. Retention adds here, in the transaction that deletes the rows, what they
    counted; the collectors add it back.
    """

    series = models.CharField(max_length=64, help_text="A sample's name, e.g. hub_sync_runs.")
    labels = models.CharField(max_length=512, help_text="The sample's label values, a JSON list in the series' order.")
    value = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "labels"], name="pruned_total_sample")]
        ordering = ["series", "labels"]

    def __str__(self):
        return f"{self.series}{self.labels} += {self.value:g}"
