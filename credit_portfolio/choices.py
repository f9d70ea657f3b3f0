"""Enumerations of the credit portfolio."""

from django.db import models


class FileKind(models.TextChoices):
    RECEIPTS = "receipts", "Receipts (поступление)"
    EXPENSES = "expenses", "Repayments (списание)"
    DETAILS = "details", "Repayment details (расшифровка)"


class PaymentKind(models.TextChoices):
    PRINCIPAL = "principal", "Principal (Погашение долга)"
    INTEREST = "interest", "Interest (Уплата процентов)"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    IMPORTED = "imported", "Imported"
    SKIPPED = "skipped", "Skipped (same content)"
    FAILED = "failed", "Failed"


# The portfolio's cache namespace (common.cache), bumped by every import that changed something.
CREDIT_PORTFOLIO = "credit_portfolio"
CREDIT_PORTFOLIO_TTL = 3600
# The source name on SyncRun and the quarantine.
SOURCE_NAME = "credit_portfolio"

