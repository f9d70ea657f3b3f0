"""Enumerations of monitoring."""

from django.db import models


class IncidentKind(models.TextChoices):
    SYNC_FAILED = "sync_failed", "Sync failed"
    PROVIDER_SILENT = "provider_silent", "Provider silent"
    DISCREPANCY_SHARE = "discrepancy_share", "Discrepancy share above threshold"
    LEDGER_UNMATCHED = "ledger_unmatched", "Ledger: amounts sent to suspense"
    LEDGER_REFUSED = "ledger_refused", "Ledger: posting refused"
