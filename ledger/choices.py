"""Enumerations of the ledger. Their values are part of the API contract."""

from django.db import models

from reconciliation.choices import ReviewState


class AccountType(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


class AccountPurpose(models.TextChoices):
    """What a seeded account is for, so that code finds it by purpose, never by a code someone may edit."""

    NONE = "", "—"
    CLEARING = "clearing", "Provider clearing"
    BANK = "bank", "Bank"
    CUSTOMER_FUNDS = "customer_funds", "Customer funds"
    FEES = "fees", "Fees expense"
    PAYOUTS = "payouts", "Pay-outs"
    REFUNDS = "refunds", "Refunds"
    FX = "fx", "FX difference"
    SUSPENSE = "suspense", "Suspense"


class JournalKind(models.TextChoices):
    GENERAL = "general", "General"
    PROVIDER = "provider", "Provider"
    BANK = "bank", "Bank"


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    POSTED = "posted", "Posted"
    CANCELLED = "cancelled", "Cancelled"


class VoucherKind(models.TextChoices):
    MANUAL = "manual", "Manual"
    AUTO = "auto", "Posted from transactions"
    ADJUSTING = "adjusting", "Adjusting (a later change of transactions)"
    REVERSAL = "reversal", "Reversal"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    LOCKED = "locked", "Locked"


class PeriodAction(models.TextChoices):
    CLOSE = "close", "Closed"
    LOCK = "lock", "Locked"
    REOPEN = "reopen", "Reopened"


class Event(models.TextChoices):
    PAYIN_SETTLED = "payin_settled", "Pay-in settled"
    PAYIN_FEE = "payin_fee", "Pay-in fee"
    PAYOUT_SENT = "payout_sent", "Pay-out sent"
    PAYOUT_FEE = "payout_fee", "Pay-out fee"
    REFUND = "refund", "Refund"
    CHARGEBACK = "chargeback", "Chargeback"


class RuleSide(models.TextChoices):
    """Which of its rule's two accounts a line is on; the ``debit`` leg carries the key's signed amount."""

    NONE = "", "—"
    DEBIT = "debit", "Rule's debit account"
    CREDIT = "credit", "Rule's credit account"


class PostingMode(models.TextChoices):
    REALTIME = "realtime", "After each sync batch"
    BATCH = "batch", "Nightly"
    MANUAL = "manual", "Only by command"


class GLStatus(models.TextChoices):
    RECONCILED = "reconciled", "Reconciled"
    UNRECONCILED = "unreconciled", "Unreconciled"


# GL reconciliation results are reviewed as reconciliation results are: the same states.
ReviewStatus = ReviewState
