"""Back office for transactions and project mappings."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from common.admin_imports import PlainErrorsImportExportAdmin
from common.admin_money import BACKOFFICE_CSS, money_column, pretty_json
from common.admin_search import ExactSearchMixin
from common.exports import XLSX_STREAM_ROWS, fits_in_a_request
from common.paginators import CappedCountPaginator
from common.sources import source_names
from transactions.api.exports import export_response
from transactions.exports import FORMATS, xlsx_request
from transactions.models import ProjectMapping, Transaction
from transactions.resources import ProjectMappingResource


@admin.register(Transaction)
class TransactionAdmin(ExactSearchMixin, admin.ModelAdmin):
    """Read-only: transactions arrive from providers through the write path, never by hand.

    The changelist's Export buttons stream what its filters and search show, through the same code
    as GET /api/v1/export/transactions: flat memory whatever the size.
    """

    # What a finance person scans first, fitting 1280 px beside the filters; the rest is in the detail.
    list_display = ("created", "source", "project", "amount_money", "status", "operation_id")
    list_filter = ("source", "project", "status", "direction", "currency")
    exact_search_fields = ("client_operation_id", "order_id")
    fallback_search_fields = ("user_email", "user_phone", "utr", "reference_id")
    uuid_search_fields = ("id",)

    def _exact_condition(self, term):
        # Naming every source lets PostgreSQL probe the (source, source_id) unique index for source_id.
        return super()._exact_condition(term) | Q(source__in=sorted(source_names(sink="transactions")), source_id=term)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    fieldsets = (
        ("Identity", {"fields": ("id", "source", "source_id", "reference_id", "client_operation_id", "order_id",
                                 "project", "merchant_id")}),
        ("Money", {"fields": ("direction", "amount_money", "fee_money", "status", "original_status",
                              "payment_method", "payment_product", "utr")}),
        ("Payer", {"fields": ("user_id", "user_name", "user_email", "user_phone", "country")}),
        ("Times (UTC)", {"fields": ("created_at", "updated_at", "completed_at", "ingested_at")}),
        ("Provider record", {"fields": ("source_create_cursor", "source_update_cursor", "data_hash", "raw_record")}),
    )
    amount_money = money_column("amount", "currency", description="amount")
    fee_money = money_column("fee", "currency", description="fee")

    class Media:
        css = BACKOFFICE_CSS

    @admin.display(description="created (UTC)", ordering="created_at")
    def created(self, obj):
        return obj.created_at.strftime("%Y-%m-%d %H:%M")

    @admin.display(description="operation id", ordering="client_operation_id")
    def operation_id(self, obj):
        return format_html('<span title="{}">{}</span>', obj.client_operation_id, obj.client_operation_id or "–")

    @admin.display(description="raw provider record")
    def raw_record(self, obj):
        return pretty_json(obj.raw_data, summary=f"as {obj.source} sent it ({len(obj.raw_data or {})} fields)")

    actions = ["export_csv", "export_xlsx"]

    def get_readonly_fields(self, request, obj=None):
        return [*(field.name for field in Transaction._meta.fields), "amount_money", "fee_money", "raw_record"]

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="transactions_transaction_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The changelist's rows (its filters and search, from the query string) as a streamed file."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        request.GET = request.GET.copy()
        fmt = request.GET.pop("format", ["csv"])[0]
        if fmt not in FORMATS:
            return HttpResponseBadRequest(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
        return self._export(request, self.get_changelist_instance(request).get_queryset(request), fmt)

    # The same streamed files for the rows ticked in the list.
    @admin.action(description="Export selected as CSV (streamed)", permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description="Export selected as XLSX (streamed)", permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    def _export(self, request, queryset, fmt: str):
        """The file now; for an XLSX too large to write while the request waits, a link to the one a worker writes."""
        if fmt != "xlsx" or fits_in_a_request(queryset):
            return export_response(queryset, fmt)
        url = f"/api/v1/files/{xlsx_request(queryset, user=request.user).pk}"
        self.message_user(request, format_html(
            "More than {} rows: a worker is writing the XLSX. It will be at <a href=\"{}\">{}</a> (that page says "
            "\"queued\" until it is ready).", f"{XLSX_STREAM_ROWS:,}", url, url))
        query = request.GET.urlencode()
        changelist = reverse("admin:transactions_transaction_changelist")
        return HttpResponseRedirect(f"{changelist}?{query}" if query else changelist)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a view-only page: no Save buttons

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProjectMapping)
class ProjectMappingAdmin(PlainErrorsImportExportAdmin):
    resource_classes = [ProjectMappingResource]
    list_display = ("source", "provider_name", "project", "note", "updated_at")
    list_filter = ("source", "project")
    search_fields = ("provider_name", "project")
