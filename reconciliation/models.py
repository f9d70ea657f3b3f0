"""Reconciliation runs, their results, and the tolerances per project pair (SPEC 7)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from common.sources import source_choices
from reconciliation.choices import (
    DISCREPANCY_TYPES,
    ReasonCode,
    ResultType,
    ReviewState,
    RunStatus,
    Trigger,
)
from transactions.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS


def _money(**kwargs):
    return models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs)


class ReconciliationTolerance(models.Model):
    """How far two amounts of one project may differ and still match: ``max(absolute, percent of the
    larger amount)``. A row with an empty project is the pair's default; without any row the settings'
    defaults apply (RECONCILIATION_TOLERANCE_ABSOLUTE, RECONCILIATION_TOLERANCE_PERCENT)."""

    left_source = models.CharField(max_length=16, choices=source_choices, default="vima")
    right_source = models.CharField(max_length=16, choices=source_choices, default="payshack")
    project = models.CharField(max_length=64, blank=True, default="", help_text="Empty: every project of the pair.")
    absolute = _money(help_text="Largest difference that still matches, in the payment's currency.")
    percent = models.DecimalField(max_digits=7, decimal_places=4,
                                  help_text="Largest difference that still matches, in percent of the amount.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left_source", "right_source", "project"],
                                    name="reconciliation_tolerance_unique"),
            models.CheckConstraint(condition=models.Q(absolute__gte=0, percent__gte=0),
                                   name="reconciliation_tolerance_not_negative"),
        ]
        ordering = ["left_source", "right_source", "project"]

    def __str__(self):
        return f"{self.left_source}↔{self.right_source} {self.project or '*'}: max({self.absolute}, {self.percent}%)"


class ReconciliationRun(models.Model):
    """One reconciliation of a date range (business days, inclusive) between two sources.

    ``parameters`` keeps what the run used (time zone, settlement lag, tolerances, projects), so a
    result can always be explained. A later run of the same pair over a range covering this one
    supersedes it; the results of the latest run are the current ones for each date.
    """

    date_from = models.DateField()
    date_to = models.DateField()
    left_source = models.CharField(max_length=16, choices=source_choices, default="vima")
    right_source = models.CharField(max_length=16, choices=source_choices, default="payshack")
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(max_length=16, choices=Trigger.choices, default=Trigger.COMMAND)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    counts = models.JSONField(default=dict, help_text="Results per class.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="supersedes")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(date_from__lte=models.F("date_to")),
                                   name="reconciliation_run_range_ordered"),
            models.CheckConstraint(condition=models.Q(status__in=RunStatus.values),
                                   name="reconciliation_run_status_known"),
        ]
        indexes = [models.Index(fields=["status", "date_from", "date_to"], name="recon_run_status_range")]
        ordering = ["-started_at", "-id"]

    def __str__(self):
        span = str(self.date_from) if self.date_from == self.date_to else f"{self.date_from}…{self.date_to}"
        return f"run {self.pk} {self.left_source}↔{self.right_source} {span} ({self.status})"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# A result someone has touched: a review state, an assignee, a reason or a note.
REVIEWED = (~models.Q(review_state=ReviewState.OPEN) | models.Q(assignee__isnull=False) | ~models.Q(reason_code="")
            | ~models.Q(note=""))


class ResultQuerySet(models.QuerySet):
    def of_succeeded_runs(self):
        """Results that count: a run's results are written before the run is marked succeeded (its
        shards commit one by one), and those of a failed or unfinished run are never shown."""
        return self.filter(run__status=RunStatus.SUCCEEDED)


class ReconciliationResult(models.Model):
    """One key of one run: the pair (or orphan, or key used twice) and its class, plus its review.

    Written only by the engine, in bulk; the amounts, statuses and flags are a snapshot of both sides
    when the run ran. ``difference`` is PayShack's amount minus Vima's (same currency only). The
    review fields (state, assignee, reason, note) change through ``reconciliation.services`` and
    every change is kept in ``history`` (who, when, before, after).
    """

    # A run writes a million results in one INSERT, so each per-row cost counts: run_id is served by the
    # indexes below (and on PostgreSQL a BRIN index, see migration 0008); no database foreign keys (each
    # would queue a trigger event per row, checked at commit): the engine writes results only for the run
    # it is given, the service discards those of a run that fails, Django cascades a run's deletion, and
    # transactions are never deleted. Links to transactions are followed, never searched.
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="results", db_index=False,
                            db_constraint=False)
    key = models.CharField(max_length=128, help_text="Vima client_operation_id = PayShack order_id.")
    result_date = models.DateField(help_text="Business day of the Vima side's creation (PayShack's when only it has "
                                             "the payment).")
    project = models.CharField(max_length=64)
    result_type = models.CharField(max_length=24, choices=ResultType.choices)
    amount_differs = models.BooleanField(default=False)
    status_differs = models.BooleanField(default=False)
    vima_transaction = models.ForeignKey("transactions.Transaction", null=True, blank=True, related_name="+",
                                         on_delete=models.DO_NOTHING, db_constraint=False, db_index=False)
    payshack_transaction = models.ForeignKey("transactions.Transaction", null=True, blank=True, related_name="+",
                                             on_delete=models.DO_NOTHING, db_constraint=False, db_index=False)
    vima_count = models.PositiveIntegerField(default=0)
    payshack_count = models.PositiveIntegerField(default=0)
    vima_amount = _money(null=True, blank=True)
    payshack_amount = _money(null=True, blank=True)
    vima_currency = models.CharField(max_length=3, blank=True, default="")
    payshack_currency = models.CharField(max_length=3, blank=True, default="")
    vima_status = models.CharField(max_length=16, blank=True, default="")
    payshack_status = models.CharField(max_length=16, blank=True, default="")
    difference = _money(null=True, blank=True)
    review_state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", db_index=False, db_constraint=False)
    reason_code = models.CharField(max_length=32, choices=ReasonCode.choices, blank=True, default="")
    note = models.TextField(blank=True, default="")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords(
        # The audit is about the review; the engine's snapshot never changes after the run.
        excluded_fields=["amount_differs", "status_differs", "vima_transaction", "payshack_transaction", "vima_count",
                         "payshack_count", "vima_amount", "payshack_amount", "vima_currency", "payshack_currency",
                         "vima_status", "payshack_status", "difference", "result_date"],
    )

    class Meta:
        # One result per key and date (a key whose sides are days apart, beyond the lag, gives two orphans)
        # holds by the engine's construction (one row per key and side, one join) and is tested; a unique
        # index on it would cost the run's INSERT more than every other index together.
        constraints = [
            models.CheckConstraint(condition=models.Q(result_type__in=ResultType.values),
                                   name="reconciliation_result_type_known"),
            models.CheckConstraint(condition=models.Q(review_state__in=ReviewState.values),
                                   name="reconciliation_result_review_known"),
        ]
        indexes = [
            # Every read goes through a run (the current run of each date). Discrepancies, a few percent of a
            # run but what people list and review, by run and class; a run's results as a whole (summaries,
            # exports, a failed run's discard) through a BRIN index on run on PostgreSQL (migration 0008):
            # a run's results lie together on disk, and a BRIN index costs next to nothing to insert into,
            # where a B-tree over every result cost a run about a second per million.
            # Partial indexes: the many rows they leave out cost nothing to insert.
            models.Index(fields=["run", "result_type"], condition=models.Q(result_type__in=DISCREPANCY_TYPES),
                         name="recon_result_run_discrepancy"),
            # A BRIN index on PostgreSQL (migrations 0008, 0009: Meta cannot say "BRIN on one database"),
            # a B-tree elsewhere. Declared here too so that SQLite's table rebuilds keep it.
            models.Index(fields=["run"], name="recon_result_run"),
            # Assigned results (by assignee), and reviewed ones (what a rerun carries over, by date).
            models.Index(fields=["assignee"], condition=models.Q(assignee__isnull=False),
                         name="recon_result_assigned"),
            models.Index(fields=["result_date", "run"], condition=REVIEWED, name="recon_result_reviewed"),
        ]
        ordering = ["id"]

    def __str__(self):
        return f"{self.key} {self.result_type} ({self.review_state})"


def _report_path(report, filename: str) -> str:
    """Where the reports of the removed ``ReconciliationReport`` were kept (migration 0007 names this function;
    reports are ``common.models.PreparedFile`` rows now)."""
    return f"reconciliation/reports/{filename}"
