"""The company's borrowings (SPEC 13): who borrowed from which bank under which contract, the money
received, the repayments, and each repayment's split into principal and interest.

Rows are keyed as the accounting exports key them (document and organization; a detail by its
repayment's document, payment kind, amount and line), so importing the same file again finds the
same rows. ``ImportLog`` is the history of every file an import looked at.
"""

import uuid

from django.db import models
from django.db.models import Q

from credit_portfolio.choices import FileKind, ImportStatus, PaymentKind

MONEY = {"max_digits": 18, "decimal_places": 2}


class Organization(models.Model):
    """One of the group's companies that borrows (``Организация``)."""

    name = models.CharField(max_length=255, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Bank(models.Model):
    """A lender, named as the bank account's bank in the exports."""

    name = models.CharField(max_length=255, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Contract(models.Model):
    """A credit contract (``Договор``) of one organization with one bank."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="contracts")
    name = models.CharField(max_length=255)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts")
    signed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="cp_contract_unique")]
        ordering = ["organization", "name"]

    def __str__(self):
        return self.name


class _Operation(models.Model):
    """What a receipt and a repayment share: the document that keys it within its organization."""

    # No index of its own: the unique (organization, document) serves every lookup by organization.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    document = models.CharField(max_length=255)
    date = models.DateField()
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bank_account = models.CharField(max_length=255, blank=True, default="")
    currency = models.CharField(max_length=8, default="RUB")
    amount = models.DecimalField(**MONEY)
    source_file = models.CharField(max_length=255, blank=True, default="", help_text="The file it came from last.")
    source_row = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Receipt(_Operation):
    """Loan money received on a bank account (``Поступление на расчетный счет``)."""

    payer = models.CharField(max_length=255, blank=True, default="")
    fee = models.DecimalField(**MONEY, null=True, blank=True)
    purpose = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "document"], name="cp_receipt_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="cp_receipt_amount_positive"),
        ]
        indexes = [models.Index(fields=["date"], name="cp_receipt_date")]

    def __str__(self):
        return self.document


class Expense(_Operation):
    """A repayment (``Списание с расчетного счета``): principal and interest together; its details split it."""

    recipient = models.CharField(max_length=255, blank=True, default="")
    expense_item = models.CharField(max_length=255, blank=True, default="")
    unconfirmed = models.BooleanField(default=False, help_text="Not yet confirmed by a bank statement.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "document"], name="cp_expense_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="cp_expense_amount_positive"),
        ]
        indexes = [models.Index(fields=["date"], name="cp_expense_date")]

    def __str__(self):
        return self.document


class RepaymentDetail(models.Model):
    """One line of a repayment's split: principal or interest.

    It names its repayment by document; the repayment may arrive in a later file, and is linked
    then (``expense``, with its date, contract and bank copied here so the analytics read one table).
    ``line`` tells equal lines of one repayment apart (1 for the first, 2 for its twin, …).
    """

    # No index of its own: the unique key and the (organization, expense document) index start with it.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", db_index=False)
    expense_document = models.CharField(max_length=255)
    payment_kind = models.CharField(max_length=16, choices=PaymentKind.choices)
    amount = models.DecimalField(**MONEY)
    line = models.PositiveSmallIntegerField(default=1)
    vat = models.DecimalField(**MONEY, null=True, blank=True)
    expense = models.ForeignKey(Expense, on_delete=models.SET_NULL, null=True, blank=True, related_name="details")
    date = models.DateField(null=True, blank=True, help_text="Its repayment's date, once the repayment is known.")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_file = models.CharField(max_length=255, blank=True, default="")
    source_row = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "expense_document", "payment_kind", "amount", "line"],
                                    name="cp_detail_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="cp_detail_amount_positive"),
            models.CheckConstraint(condition=Q(payment_kind__in=PaymentKind.values), name="cp_detail_kind_known"),
            models.CheckConstraint(condition=Q(line__gte=1), name="cp_detail_line_positive"),
        ]
        indexes = [models.Index(fields=["date"], name="cp_detail_date"),
                   models.Index(fields=["organization", "expense_document"], name="cp_detail_expense_doc")]

    def __str__(self):
        return f"{self.expense_document}: {self.payment_kind} {self.amount}"


class ImportLog(models.Model):
    """One file as one import saw it: what it was (name, size, time, content hash), what became of its
    rows (read = inserted + updated + unchanged + rejected) and why rows were rejected."""

    import_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey("integrations.SyncRun", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    file_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=FileKind.choices, blank=True, default="")
    organization = models.CharField(max_length=255, blank=True, default="")
    size = models.BigIntegerField(default=0)
    modified_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of the file.")
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    header_row = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=dict, blank=True, help_text="field → header found, with its confidence")
    rows_read = models.PositiveIntegerField(default=0)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0, help_text="Stored rows of this file that it no longer holds.")
    replaces = models.BooleanField(default=False, help_text="Rows from an earlier reading of this file were stored.")
    reasons = models.JSONField(default=list, blank=True, help_text="Rejected rows: row number and why.")
    changes = models.JSONField(default=list, blank=True, help_text="Updated rows: what changed (the first ones).")
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["file_name", "-started_at"], name="cp_import_file_started")]
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.status})"



class MonthlyTotal(models.Model):
    """The portfolio summed per kind, organization, contract, bank and month: what the analytics read.

    Kept exact by the import's write path in the same transaction as the rows it sums (each insert,
    change, link and deletion moves its totals), so the answers never scan the operations. ``kind`` is
    receipts, expenses (each repayment once), principal or interest (detail lines of linked repayments).
    Contract and bank are plain ids, 0 for none: a unique key over nullable columns would let equal
    groups in twice.
    """

    kind = models.CharField(max_length=16)
    organization_id = models.IntegerField()
    contract_id = models.IntegerField(default=0)
    bank_id = models.IntegerField(default=0)
    month = models.DateField(help_text="The first day of the month.")
    amount = models.DecimalField(**MONEY, default=0)
    operations = models.PositiveIntegerField(default=0)
    last_date = models.DateField(null=True, blank=True, help_text="The group's latest operation date.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "organization_id", "contract_id", "bank_id", "month"],
                                               name="cp_monthly_total_unique")]
        indexes = [models.Index(fields=["month"], name="cp_monthly_total_month")]

    def __str__(self):
        return f"{self.kind} {self.month:%Y-%m}: {self.amount}"


class ImportedRow(models.Model):
    """A stored row that a file being imported holds (by the row's id), so that rows the file no longer
    holds can be deleted when it ends. Written with each batch, dropped when the file's import ends."""

    import_id = models.UUIDField()
    row_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["import_id", "row_id"], name="cp_imported_row")]

    def __str__(self):
        return f"{self.import_id}: {self.row_id}"
