"""Back office for exchange rates (editable, importable) and rollups (read-only: the write path keeps them)."""

from django.contrib import admin

from analytics.models import FxRate, TransactionRollup
from analytics.resources import FxRateResource
from common.admin_imports import PlainErrorsImportExportAdmin
from common.admin_readonly import ReadOnlyAdmin
from transactions.money import from_units


@admin.register(FxRate)
class FxRateAdmin(PlainErrorsImportExportAdmin):
    resource_classes = [FxRateResource]
    list_display = ("day", "base", "quote", "rate", "source", "updated_at")
    list_filter = ("base", "quote")
    date_hierarchy = "day"
    search_fields = ("base", "quote", "source")


@admin.register(TransactionRollup)
class TransactionRollupAdmin(ReadOnlyAdmin):
    """Totals per 15-minute slot; to check or repair them run ``manage.py rebuild_rollups``."""

    list_display = ("slot", "source", "project", "status", "currency", "direction", "count", "amount", "fee")
    list_filter = ("source", "project", "status", "currency", "direction")
    date_hierarchy = "slot"
    show_full_result_count = False

    @admin.display(description="amount")
    def amount(self, rollup):
        return from_units(rollup.amount_e4)

    @admin.display(description="fee")
    def fee(self, rollup):
        return from_units(rollup.fee_e4)
