"""OpenAPI shapes of /api/compat/v1/ (tag ``compat``): documentation only, the views return plain dicts."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from transactions.api.serializers import TransactionSerializer

from . import shapes


def _number(**kwargs):
    return serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False, allow_null=True,
                                    **kwargs)


def _usd():
    return _number(help_text="in USD with the stored FX rates; null when a rate is missing (never a guess)")


_PERIOD = inline_serializer("CompatPeriod", {"from": serializers.DateField(), "to": serializers.DateField()})

class _Item(TransactionSerializer):
    class Meta(TransactionSerializer.Meta):
        fields = shapes.ITEM_FIELDS
        ref_name = "CompatTransaction"


TransactionPage = inline_serializer("CompatTransactionPage", {
    "items": _Item(many=True), "page": serializers.IntegerField(), "limit": serializers.IntegerField(),
    "total": serializers.IntegerField(), "pages": serializers.IntegerField()})

_FIGURES = inline_serializer("CompatFigures", {"count": serializers.IntegerField(), "amount": _number(),
                                               "amount_usd": _usd()})
Overview = inline_serializer("CompatOverview", {
    "period": _PERIOD, "total_count": serializers.IntegerField(),
    "total_amount": _number(help_text="in `currency`; null when several currencies are involved"),
    "total_amount_usd": _usd(), "currency": serializers.CharField(allow_null=True),
    "by_status": inline_serializer("CompatByStatus", {"success": _FIGURES, "failed": _FIGURES, "pending": _FIGURES},
                                   help_text="pending: pending and processing (not finished yet)"),
    "by_source": serializers.DictField(child=inline_serializer("CompatSourceCount", {
        "count": serializers.IntegerField()})),
    "conversion_rate": _number(help_text="successful / all, 0…1 (as /api/v1/)"),
    "avg_ticket": _number(), "avg_ticket_usd": _usd(),
    "count_change_percent": _number(help_text="against the period of equal length just before")})

ByProject = inline_serializer("CompatByProject", {"projects": inline_serializer("CompatProject", {
    "project": serializers.CharField(), "total_count": serializers.IntegerField(), "total_amount": _number(),
    "conversion_rate": _number()}, many=True)})

Trends = inline_serializer("CompatTrends", {
    "period": _PERIOD, "granularity": serializers.CharField(),
    "data": inline_serializer("CompatTrendPoint", {
        "timestamp": serializers.DateTimeField(), "count": serializers.IntegerField(), "amount": _number(),
        "success_count": serializers.IntegerField(), "failed_count": serializers.IntegerField()}, many=True)})

SyncStatus = inline_serializer("CompatSyncStatus", {"sources": inline_serializer("CompatSource", {
    "source": serializers.CharField(), "status": serializers.CharField(), "records_synced": serializers.IntegerField(),
    "last_sync_at": serializers.DateTimeField(allow_null=True),
    "last_successful_sync": serializers.DateTimeField(allow_null=True),
    "next_sync_at": serializers.DateTimeField(allow_null=True), "last_cursor": serializers.CharField(allow_null=True),
    "error_message": serializers.CharField(allow_null=True)}, many=True)})
SyncQueued = inline_serializer("CompatSyncQueued", {"source": serializers.CharField(),
                                                    "status": serializers.CharField(),
                                                    "task_id": serializers.CharField()})

ReconciliationSummary = inline_serializer("CompatReconciliationSummary", {
    "total_transactions": serializers.IntegerField(),
    "matched": inline_serializer("CompatMatched", {"count": serializers.IntegerField(), "percentage": _number()}),
    "discrepancies": inline_serializer("CompatDiscrepancyCounts", {
        "count": serializers.IntegerField(), "by_type": serializers.DictField(child=serializers.IntegerField())}),
    "missing": inline_serializer("CompatMissing", {"count": serializers.IntegerField(),
                                                   "missing_vima": serializers.IntegerField(),
                                                   "missing_payshack": serializers.IntegerField()}),
    "run_at": serializers.DateTimeField(allow_null=True)})

Discrepancies = inline_serializer("CompatDiscrepancies", {"items": inline_serializer("CompatDiscrepancy", {
    "id": serializers.IntegerField(), "discrepancy_type": serializers.CharField(),
    "client_operation_id": serializers.CharField(), "vima_amount": _number(), "payshack_amount": _number(),
    "amount_diff": _number(), "vima_status": serializers.CharField(allow_null=True),
    "payshack_status": serializers.CharField(allow_null=True)}, many=True), "total": serializers.IntegerField()})

RunQueued = inline_serializer("CompatRunQueued", {"run_id": serializers.IntegerField(),
                                                  "status": serializers.CharField(),
                                                  "date_from": serializers.DateField(),
                                                  "date_to": serializers.DateField()})
