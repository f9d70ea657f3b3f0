"""Enumerations of the unified transaction. Their values are part of the API contract.

Sources are not listed here: each declares itself (``common.sources``).
"""

from django.db import models


class Status(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILED = "failed", "Failed"
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    REFUNDED = "refunded", "Refunded"


class Direction(models.TextChoices):
    PAYIN = "payin", "Pay-in"
    PAYOUT = "payout", "Pay-out"
