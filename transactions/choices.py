"""Enumerations of the unified transaction. Their values are part of the API contract."""

from django.db import models


class Source(models.TextChoices):
    VIMA = "vima", "Vima"
    PAYSHACK = "payshack", "PayShack"


class Status(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILED = "failed", "Failed"
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    REFUNDED = "refunded", "Refunded"


class Direction(models.TextChoices):
    PAYIN = "payin", "Pay-in"
    PAYOUT = "payout", "Pay-out"
