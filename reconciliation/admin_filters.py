"""Changelist filters of reconciliation results that Django has no stock filter for."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import admin
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from reconciliation.models import ReconciliationRun


class RunFilter(admin.SimpleListFilter):
    """The latest runs by id (the full list would be years of nights)."""

    title = "run"
    parameter_name = "run"
    LATEST = 20

    def lookups(self, request, model_admin):
        return [(str(run.pk), str(run)) for run in ReconciliationRun.objects.order_by("-pk")[:self.LATEST]]

    def queryset(self, request, queryset):
        return queryset.filter(run_id=self.value()) if self.value() and self.value().isdigit() else queryset


# (lookup, label, low, high) over the result's amount (Vima's, or PayShack's when Vima has none).
AMOUNT_RANGES = (("lt1k", "under 1,000", None, Decimal(1_000)), ("1k-10k", "1,000 – 10,000", Decimal(1_000),
                 Decimal(10_000)), ("10k-100k", "10,000 – 100,000", Decimal(10_000), Decimal(100_000)),
                 ("100k+", "100,000 and more", Decimal(100_000), None))


class AmountRangeFilter(admin.SimpleListFilter):
    title = "amount"
    parameter_name = "amount"

    def lookups(self, request, model_admin):
        return [(lookup, label) for lookup, label, _, _ in AMOUNT_RANGES]

    def queryset(self, request, queryset):
        for lookup, _, low, high in AMOUNT_RANGES:
            if self.value() == lookup:
                queryset = queryset.alias(amount=Coalesce("vima_amount", "payshack_amount"))
                if low is not None:
                    queryset = queryset.filter(amount__gte=low)
                return queryset.filter(amount__lt=high) if high is not None else queryset
        return queryset


AGES = (("1", "today or yesterday", 0, 1), ("7", "2 – 7 days", 2, 7), ("30", "8 – 30 days", 8, 30),
        ("older", "older than 30 days", 31, None))


class AgeFilter(admin.SimpleListFilter):
    """How old the result's business day is: an open discrepancy that ages needs attention."""

    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(lookup, label) for lookup, label, _, _ in AGES]

    def queryset(self, request, queryset):
        today = timezone.now().date()
        for lookup, _, youngest, oldest in AGES:
            if self.value() == lookup:
                condition = Q(result_date__lte=today - timedelta(days=youngest))
                if oldest is not None:
                    condition &= Q(result_date__gte=today - timedelta(days=oldest))
                return queryset.filter(condition)
        return queryset
