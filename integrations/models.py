"""Sync bookkeeping: where each provider's feed stands, every run's log, and quarantined records."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from common.sources import source_choices
from integrations.choices import QuarantineState, RunStatus, RunTrigger


class SyncState(models.Model):
    """Where one stream of one provider stands: a cursor (Vima's ids) or a window (PayShack's dates).

    It moves in the same database transaction as the batch it covers, so a crash loses nothing
    and a rerun duplicates nothing.
    """

    source = models.CharField(max_length=16, choices=source_choices)
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

    class Kind(models.TextChoices):
        TRANSACTIONS = "transactions", "Transactions"
        METADATA = "metadata", "Metadata (accounts and balances)"

    source = models.CharField(max_length=16, choices=source_choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TRANSACTIONS)
    sink = models.CharField(max_length=32, blank=True, default="",
                            help_text="Where the run wrote: its sink's name (transactions, accounts, …).")
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
    written = models.PositiveIntegerField(default=0, help_text="Rows the sink stored or changed.")
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
    source = models.CharField(max_length=16, choices=source_choices)
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


class SyncEvidence(models.Model):
    """A file that shows why a run failed: a screenshot and the HTML of a portal page that changed."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(max_length=64, help_text="e.g. screenshot.png, page.html")
    file = models.FileField(upload_to="evidence/%Y/%m/%d")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "name"]
        verbose_name_plural = "sync evidence"

    def __str__(self):
        return f"{self.name} of {self.run}"


class ProviderAccount(models.Model):
    """A party a provider knows about us: a client wallet (with its balance), a reseller, a service provider.

    Refreshed by the provider's metadata sync; ``attributes`` keeps the provider's other fields.
    """

    class Kind(models.TextChoices):
        CLIENT = "client", "Client"
        RESELLER = "reseller", "Reseller"
        SERVICE_PROVIDER = "service_provider", "Service provider"

    source = models.CharField(max_length=16, choices=source_choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    external_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=32, blank=True, default="")
    parent_external_id = models.CharField(max_length=64, blank=True, default="", help_text="e.g. a client's reseller")
    balance = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    attributes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "external_id"], name="provider_account_unique"),
        ]
        ordering = ["source", "kind", "name"]

    def __str__(self):
        return f"{self.source} {self.kind} {self.name}"


class BalanceSnapshot(models.Model):
    """A client wallet's balance as one metadata run read it; the series feeds balance reconciliation."""

    account = models.ForeignKey(ProviderAccount, on_delete=models.PROTECT, related_name="snapshots")
    run = models.ForeignKey(SyncRun, on_delete=models.PROTECT, related_name="balance_snapshots")
    balance = models.DecimalField(max_digits=20, decimal_places=4)
    currency = models.CharField(max_length=3)
    taken_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "-taken_at"], name="balance_snapshot_account_time")]
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.account.name} {self.balance} {self.currency} at {self.taken_at:%Y-%m-%d %H:%M}"
