"""Sync bookkeeping: where each provider's feed stands, every run's log, and quarantined records."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from integrations.choices import QuarantineState, RunStatus, RunTrigger
from transactions.choices import Source


class SyncState(models.Model):
    """Where one stream of one provider stands: a cursor (Vima's ids) or a window (PayShack's dates).

    It moves in the same database transaction as the batch it covers, so a crash loses nothing
    and a rerun duplicates nothing.
    """

    source = models.CharField(max_length=16, choices=Source.choices)
    stream = models.CharField(max_length=32, help_text="e.g. create, update, payin, payout")
    cursor = models.CharField(max_length=128, blank=True, default="")
    window_end = models.DateTimeField(null=True, blank=True, help_text="Everything before this is synced (UTC).")
    status = models.CharField(max_length=16, choices=RunStatus.choices, blank=True, default="")
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "stream"], name="sync_state_stream_unique")]
        ordering = ["source", "stream"]

    def __str__(self):
        return f"{self.source}/{self.stream} at {self.cursor or self.window_end or 'start'}"


class SyncRun(models.Model):
    """One sync run of one provider: when, how it ended, what it fetched and wrote, where the cursors moved."""

    source = models.CharField(max_length=16, choices=Source.choices)
    mode = models.CharField(max_length=16, blank=True, default="", help_text="api or portal, where a provider has both")
    trigger = models.CharField(max_length=16, choices=RunTrigger.choices, default=RunTrigger.SCHEDULE)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    fetched = models.PositiveIntegerField(default=0)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    cursor_before = models.JSONField(default=dict, blank=True)
    cursor_after = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    worker = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["source", "-started_at"], name="sync_run_source_started")]
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source} run {self.pk} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class QuarantinedRecord(models.Model):
    """A provider record that could not be normalized: its raw payload, why, and which run met it.

    The rest of its batch went on. A person can retry it (after a normalizer fix or a mapping
    change) or discard it; either way the record stays as evidence.
    """

    run = models.ForeignKey(
        SyncRun, on_delete=models.PROTECT, related_name="quarantined_records", null=True, blank=True
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    source_id = models.CharField(max_length=128, blank=True, default="", help_text="Best effort: may be missing.")
    raw_payload = models.JSONField(encoder=DjangoJSONEncoder)
    error = models.TextField()
    state = models.CharField(max_length=16, choices=QuarantineState.choices, default=QuarantineState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    retried_at = models.DateTimeField(null=True, blank=True)
    retry_error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["source", "state", "-created_at"], name="quarantine_source_state")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.source}:{self.source_id or '?'} quarantined ({self.state})"
