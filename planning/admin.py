"""Back office for categories (names editable, codes fixed) and plans (imported with a confirm step)."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, TSV, XLSX

from planning.models import Category, Plan
from planning.resources import PlanResource


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Code reads the codes; people see (and rename) the names. The six categories are seeded, never added."""

    list_display = ("code", "name")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ImportExportModelAdmin):
    """Import: the file is checked whole (the API's rule, ``planning.plan_import``) and shown before anything is
    written; Confirm writes every plan or none."""

    resource_classes = [PlanResource]
    import_formats = [CSV, TSV, XLSX]
    list_display = ("month", "category", "project", "amount", "currency", "created_at")
    list_filter = ("category", "project", "currency")
    list_select_related = ("category",)
    date_hierarchy = "month"
    search_fields = ("project",)
    readonly_fields = ("created_at",)

    def process_result(self, result, request):
        # A plan written by someone else between the preview and Confirm: nothing was written, say so.
        if not result.has_validation_errors():
            return super().process_result(result, request)
        for row in result.invalid_rows:
            messages.error(request, f"row {row.number}: " + "; ".join(
                f"{column}: {' '.join(errors)}" for column, errors in row.error_dict.items()))
        return HttpResponseRedirect(reverse("admin:planning_plan_changelist"))
