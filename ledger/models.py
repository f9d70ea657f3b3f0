"""The general ledger's tables (SPEC 11). Invariants live in the database first.

What is enforced where:
- Check and unique constraints (both databases): a line is debit xor credit, both non-negative; a posted
  voucher has a number, a poster and a time, a voucher without a number is not posted; numbers are unique;
  a voucher reverses at most one voucher and is reversed at most once; balances are unique per
  (account, period, currency, project); rules never debit and credit one account.
- Triggers (migration 0002, PostgreSQL and SQLite): lines of a posted voucher cannot be inserted, changed or
  deleted (deletes: PostgreSQL; SQLite leaves them to PROTECT); a posted voucher cannot change (its status
  included); a voucher becomes posted only when it has lines and they balance per currency.
- The services (inside the posting transaction): segregation of duties, periods, rule choice, numbering
  without gaps (a counter row per journal and year, locked while a number is taken), balances.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ledger.choices import (
    AccountPurpose,
    AccountType,
    Event,
    GLStatus,
    JournalKind,
    PeriodAction,
    PeriodStatus,
    ReviewStatus,
    RuleSide,
    VoucherKind,
    VoucherStatus,
)
from transactions.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS


def _money(**kwargs):
    return models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs)


class Account(models.Model):
    """An account of the chart: a code, a type, an optional currency and parent, and its reconciliation tolerance.

    ``purpose`` (with ``source`` for clearing accounts) is how the posting code finds a seeded account.
    A GL reconciliation is reconciled when ``|variance| <= max(tolerance_amount, tolerance_percent % of
    |sub-ledger|)``.
    """

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=128)
    type = models.CharField(max_length=16, choices=AccountType.choices)
    currency = models.CharField(max_length=3, blank=True, default="", help_text="Empty: any currency.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_control = models.BooleanField(default=False, help_text="A control account sums a sub-ledger.")
    allows_direct_posting = models.BooleanField(default=True, help_text="Manual vouchers may post to it.")
    is_active = models.BooleanField(default=True)
    purpose = models.CharField(max_length=16, choices=AccountPurpose.choices, blank=True, default="")
    source = models.CharField(max_length=16, blank=True, default="", help_text="The provider of a clearing account.")
    tolerance_amount = _money(default=0)
    tolerance_percent = models.DecimalField(max_digits=7, decimal_places=4, default=0,
                                            help_text="Percent of the sub-ledger balance: 1 means 1 %.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(type__in=AccountType.values), name="ledger_account_type_known"),
            models.CheckConstraint(condition=Q(tolerance_amount__gte=0) & Q(tolerance_percent__gte=0),
                                   name="ledger_account_tolerance_non_negative"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="ledger_account_not_own_parent"),
            models.UniqueConstraint(fields=["purpose", "source"], condition=~Q(purpose=""),
                                    name="ledger_account_one_per_purpose"),
        ]
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Journal(models.Model):
    """A book of vouchers (general, one per provider, bank); its code starts each voucher number."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=JournalKind.choices)
    source = models.CharField(max_length=16, blank=True, default="", help_text="The provider of a provider journal.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source"], condition=~Q(source=""), name="ledger_journal_one_per_source"),
        ]
        ordering = ["code"]

    def __str__(self):
        return self.code


class VoucherCounter(models.Model):
    """The last number given in a journal and year; its row is locked while the next number is taken."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["journal", "year"], name="ledger_counter_unique")]

    def __str__(self):
        return f"{self.journal_id}-{self.year}: {self.last}"


class Period(models.Model):
    """A month (``YYYY-MM``): open, closed (posting needs finance_admin) or locked (posting refused)."""

    code = models.CharField(max_length=7, unique=True)
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PeriodStatus.values), name="ledger_period_status_known"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="ledger_period_ordered"),
        ]
        ordering = ["-start"]

    def __str__(self):
        return f"{self.code} ({self.status})"


class PeriodEvent(models.Model):
    """The audit of a period: every close, lock and reopen, who did it, when, and why (a reopen needs a reason)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=8, choices=PeriodAction.choices)
    from_status = models.CharField(max_length=8, choices=PeriodStatus.choices)
    to_status = models.CharField(max_length=8, choices=PeriodStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(action=PeriodAction.REOPEN) | ~Q(reason=""),
                                   name="ledger_period_reopen_has_reason"),
        ]
        ordering = ["-at"]

    def __str__(self):
        return f"{self.period_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"


class PostingRule(models.Model):
    """Maps an event (optionally narrowed by source, project, currency, direction) to a debit and a credit account.

    The most specific active rule wins (more filled fields), then the lower ``priority``; two rules equal on
    both that can match the same event are a configuration error (``ledger.services.rules``).
    """

    MATCH_FIELDS = ("source", "project", "currency", "direction")

    name = models.CharField(max_length=128)
    event = models.CharField(max_length=16, choices=Event.choices)
    source = models.CharField(max_length=16, blank=True, default="")
    project = models.CharField(max_length=64, blank=True, default="")
    currency = models.CharField(max_length=3, blank=True, default="")
    direction = models.CharField(max_length=8, blank=True, default="")
    debit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    credit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    priority = models.PositiveIntegerField(default=100, help_text="Among equally specific rules, lower wins.")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(event__in=Event.values), name="ledger_rule_event_known"),
            models.CheckConstraint(condition=~Q(debit_account=F("credit_account")), name="ledger_rule_two_accounts"),
        ]
        ordering = ["event", "priority", "id"]

    def __str__(self):
        return self.name

    @property
    def specificity(self) -> int:
        return sum(1 for field in self.MATCH_FIELDS if getattr(self, field))


class Voucher(models.Model):
    """A journal entry: draft → review → posted, or cancelled. Numbered (gap-free) only when posted.

    ``source_day`` and ``journal`` say which day of transactions an automatic voucher posts; a reversal
    points to the voucher it reverses. Posted vouchers never change (triggers, migration 0002).
    """

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="vouchers")
    number = models.CharField(max_length=40, null=True, blank=True, unique=True)
    date = models.DateField()
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="vouchers")
    status = models.CharField(max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT)
    kind = models.CharField(max_length=10, choices=VoucherKind.choices, default=VoucherKind.MANUAL)
    description = models.CharField(max_length=255, blank=True, default="")
    source_day = models.DateField(null=True, blank=True, help_text="The business day of transactions it posts.")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    posted_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=VoucherStatus.values), name="ledger_voucher_status_known"),
            models.CheckConstraint(
                condition=(Q(status=VoucherStatus.POSTED, number__isnull=False, posted_by__isnull=False,
                             posted_at__isnull=False) | (~Q(status=VoucherStatus.POSTED) & Q(number__isnull=True))),
                name="ledger_voucher_numbered_iff_posted"),
            models.CheckConstraint(condition=~Q(reverses=F("id")), name="ledger_voucher_not_own_reversal"),
        ]
        indexes = [models.Index(fields=["source_day", "journal"], name="ledger_voucher_day")]
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.number or f"voucher {self.pk} ({self.status})"


class VoucherLine(models.Model):
    """One side of a voucher: an account, debit xor credit (non-negative), a currency and a project.

    A line posted from transactions carries its posting key (``key_day``, ``key_source``, ``key_event``, the
    line's project and currency, ``rule``) and ``rule_side``: what is already posted for a key is the sum of
    its debit-side lines, and the transactions behind a line are those its key selects
    (``ledger.selectors.line_transactions``). ``date`` and ``is_posted`` copy the voucher's, for statements.
    """

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = _money(default=0)
    credit = _money(default=0)
    currency = models.CharField(max_length=3)
    project = models.CharField(max_length=64, blank=True, default="")
    description = models.CharField(max_length=255, blank=True, default="")
    date = models.DateField()
    is_posted = models.BooleanField(default=False)
    rule = models.ForeignKey(PostingRule, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")
    rule_side = models.CharField(max_length=8, choices=RuleSide.choices, blank=True, default="")
    key_day = models.DateField(null=True, blank=True)
    key_source = models.CharField(max_length=16, blank=True, default="")
    key_event = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(debit__gte=0) & Q(credit__gte=0), name="ledger_line_non_negative"),
            models.CheckConstraint(condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                                   name="ledger_line_debit_xor_credit"),
        ]
        indexes = [
            models.Index(fields=["key_day", "key_source"], condition=Q(key_day__isnull=False), name="ledger_line_key"),
            models.Index(fields=["account", "currency", "date", "id"], condition=Q(is_posted=True),
                         name="ledger_line_statement"),
        ]
        ordering = ["id"]

    def __str__(self):
        side = f"Dr {self.debit}" if self.debit else f"Cr {self.credit}"
        return f"{self.account.code} {side} {self.currency}"


class AccountBalance(models.Model):
    """Posted debits and credits per (account, period, currency, project), kept exact by the posting service."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="balances")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="balances")
    currency = models.CharField(max_length=3)
    project = models.CharField(max_length=64, blank=True, default="")
    debit = _money(default=0)
    credit = _money(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "period", "currency", "project"], name="ledger_balance_unique"),
        ]

    def __str__(self):
        return f"{self.account_id} {self.period_id} {self.currency} {self.project}: {self.debit - self.credit}"


class DayBalance(models.Model):
    """Posted debits and credits per (account, day, currency, project), kept with ``AccountBalance`` by the posting
    service: a balance as of a date adds the kept periods before its month and the kept days of its month up to
    it, never the lines themselves."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="day_balances")
    day = models.DateField()
    currency = models.CharField(max_length=3)
    project = models.CharField(max_length=64, blank=True, default="")
    debit = _money(default=0)
    credit = _money(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "day", "currency", "project"], name="ledger_day_balance_unique"),
        ]
        indexes = [models.Index(fields=["day", "account", "currency"], name="ledger_day_balance_day")]

    def __str__(self):
        return f"{self.account_id} {self.day} {self.currency} {self.project}: {self.debit - self.credit}"


class GLReconciliationRun(models.Model):
    """One GL reconciliation: accounts compared as of a date (GL vs sub-ledger vs provider-reported)."""

    as_of = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, default="queued", help_text="queued, done or failed")
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-as_of", "-id"]

    def __str__(self):
        return f"GL reconciliation {self.pk} as of {self.as_of}"


class GLReconciliationResult(models.Model):
    """One account and currency in a run: the three balances, the variance, the tolerance used, the review.

    ``timing`` lists the items in flight at the cut-off (open transactions), carried to the next date.
    """

    run = models.ForeignKey(GLReconciliationRun, on_delete=models.CASCADE, related_name="results")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    gl_balance = _money()
    subledger_balance = _money()
    provider_balance = _money(null=True, blank=True)
    variance = _money()
    tolerance = _money()
    status = models.CharField(max_length=16, choices=GLStatus.choices)
    timing = models.JSONField(default=list, blank=True)
    review_status = models.CharField(max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    review_reason = models.TextField(blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    # The audit is about the review (who, when, before, after); the balances never change after the run.
    history = HistoricalRecords(excluded_fields=["gl_balance", "subledger_balance", "provider_balance", "variance",
                                                 "tolerance", "status", "timing"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "account", "currency"], name="ledger_gl_result_unique"),
            models.CheckConstraint(condition=~Q(review_status=ReviewStatus.RESOLVED) | ~Q(review_reason=""),
                                   name="ledger_gl_resolved_has_reason"),
        ]
        ordering = ["run", "account__code", "currency"]

    def __str__(self):
        return f"{self.account_id} {self.currency} {self.status}"
