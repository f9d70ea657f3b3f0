"""Enumerations of sync bookkeeping."""

from django.db import models


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    API = "api", "API"
    ADMIN = "admin", "Admin action"
    COMMAND = "command", "Command"
    BACKFILL = "backfill", "Backfill"


class QuarantineState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved by retry"
    DISCARDED = "discarded", "Discarded"


# Cache namespace of the sync status answers (SPEC 9: 30 s), bumped when a run starts, ingests or ends.
SYNC_STATUS = "sync"
SYNC_STATUS_TTL = 30
