"""The loan book (SPEC 12): borrowers, their credits and the repayments of those credits.

Ids are the original exports' ids, so that loading the same files again finds the same rows.
"""

from django.db import models
from django.db.models import F, Q


class Borrower(models.Model):
    """A person the lender lends to."""

    id = models.BigIntegerField(primary_key=True)
    login = models.CharField(max_length=150, unique=True)
    registered_on = models.DateField()

    def __str__(self):
        return self.login


class Credit(models.Model):
    """One credit: its body (principal) lent on ``issued_on``, due on ``due_on``, returned on
    ``returned_on`` (none while open), and the interest accrued on it."""

    id = models.BigIntegerField(primary_key=True)
    borrower = models.ForeignKey(Borrower, on_delete=models.PROTECT, related_name="credits")
    issued_on = models.DateField()
    due_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    body = models.DecimalField(max_digits=18, decimal_places=2)
    interest = models.DecimalField(max_digits=18, decimal_places=2, help_text="Accrued interest.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(body__gt=0), name="credit_body_positive"),
            models.CheckConstraint(condition=Q(interest__gte=0), name="credit_interest_not_negative"),
            models.CheckConstraint(condition=Q(due_on__gte=F("issued_on")), name="credit_due_after_issue"),
            models.CheckConstraint(condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("issued_on")),
                                   name="credit_returned_after_issue"),
        ]
        indexes = [models.Index(fields=["issued_on"], name="credit_issued_on")]

    def __str__(self):
        return f"credit {self.id} of {self.borrower_id}"


class RepaymentType(models.TextChoices):
    BODY = "body", "body"
    INTEREST = "interest", "interest"


class Repayment(models.Model):
    """Money a borrower paid back on a credit, towards its body or its interest."""

    id = models.BigIntegerField(primary_key=True)
    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField()
    type = models.CharField(max_length=8, choices=RepaymentType.choices)
    amount = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
            models.CheckConstraint(condition=Q(type__in=RepaymentType.values), name="repayment_type_known"),
        ]
        indexes = [models.Index(fields=["paid_on"], name="repayment_paid_on")]

    def __str__(self):
        return f"{self.paid_on} {self.type} {self.amount} on credit {self.credit_id}"


class LoanDayKind(models.TextChoices):
    ISSUANCE = "issuance", "credits issued"
    BODY = "body", "body repaid"
    INTEREST = "interest", "interest repaid"


class LoanDay(models.Model):
    """Totals of one day of the loan book: credits issued (their bodies), or repayments of body or
    interest. Rebuilt by every load in its transaction, so plan-against-actual reads a few hundred
    rows a year instead of millions of credits and repayments. Money in cents, as integers, so
    that sums are exact on SQLite too."""

    day = models.DateField()
    kind = models.CharField(max_length=8, choices=LoanDayKind.choices)
    count = models.BigIntegerField()
    amount_e2 = models.BigIntegerField(help_text="Sum in cents.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="loan_day_kind_unique")]

    def __str__(self):
        return f"{self.day} {self.kind}: {self.count}"
