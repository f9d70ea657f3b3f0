"""Enumerations of reconciliation. Their values are part of the API contract (SPEC 7)."""

from django.db import models


class ResultType(models.TextChoices):
    """The class of one result. When a pair differs in both amount and status, the class follows
    ``PRECEDENCE`` below and both flags (``amount_differs``, ``status_differs``) are kept."""

    MATCHED = "matched", "Matched"
    DISCREPANCY_AMOUNT = "discrepancy_amount", "Amount discrepancy"
    DISCREPANCY_STATUS = "discrepancy_status", "Status discrepancy"
    MISSING_VIMA = "missing_vima", "Missing on Vima"
    MISSING_PAYSHACK = "missing_payshack", "Missing on PayShack"
    DUPLICATE = "duplicate", "Duplicate key"


# Strongest first; a result takes the first class that applies. A key used twice is reported as such
# before anything else (which of its rows is "the" partner is unknown); a missing side has nothing to
# compare; a status difference outranks an amount difference because when one side failed and the
# other succeeded, the money moved on one side only and the amounts no longer say much.
PRECEDENCE = (ResultType.DUPLICATE, ResultType.MISSING_VIMA, ResultType.MISSING_PAYSHACK,
              ResultType.DISCREPANCY_STATUS, ResultType.DISCREPANCY_AMOUNT, ResultType.MATCHED)
DISCREPANCY_TYPES = tuple(t for t in ResultType.values if t != ResultType.MATCHED)


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class ReasonCode(models.TextChoices):
    """Why a result was resolved: the categories finance reports on."""

    TIMING = "timing", "Timing (settles on another day)"
    PROVIDER_ERROR = "provider_error", "Provider error"
    FEE = "fee", "Fee or charge"
    FX = "fx", "Currency conversion"
    DUPLICATE_DELIVERY = "duplicate_delivery", "Duplicate delivery"
    MANUAL_ADJUSTMENT = "manual_adjustment", "Manual adjustment"
    OTHER = "other", "Other"


class Trigger(models.TextChoices):
    COMMAND = "command", "Command"
    SCHEDULE = "schedule", "Nightly schedule"
    SYNC = "sync", "After a sync changed the date"
    API = "api", "API"
    ADMIN = "admin", "Admin"
