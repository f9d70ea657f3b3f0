"""Back office for points of sale: departments and their sales (read-only: the 1C and iiko syncs write them)."""

from django.contrib import admin

from common.admin_readonly import ReadOnlyAdmin
from sales.models import DailySales, Department, HourlySales


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    """Departments as 1C and iiko list them; an orphan's parent code names nothing known."""

    list_display = ("code", "name", "kind", "parent", "parent_code", "company", "iiko_id", "updated_at")
    list_filter = ("kind",)
    search_fields = ("code", "name", "company", "bin", "iiko_id")
    list_select_related = ("parent",)


class _SalesAdmin(ReadOnlyAdmin):
    list_filter = ("department__parent",)
    search_fields = ("department__code", "department__name")
    list_select_related = ("department",)
    raw_id_fields = ("department",)
    date_hierarchy = "day"
    show_full_result_count = False


@admin.register(DailySales)
class DailySalesAdmin(_SalesAdmin):
    """Sales per department and local day, by the orders' close time (resync a day: ``manage.py sync iiko
    --mode YYYY-MM-DD``)."""

    list_display = ("day", "department", "amount", "currency", "orders", "synced_at")


@admin.register(HourlySales)
class HourlySalesAdmin(_SalesAdmin):
    """Sales per department, local day and hour of close."""

    list_display = ("day", "hour", "department", "amount", "currency", "orders", "synced_at")
