"""Back office of monitoring: alert incidents and failed tasks (read-only: only services write them)."""

from django.contrib import admin

from common.admin_readonly import ReadOnlyAdmin
from common.paginators import CappedCountPaginator
from monitoring.models import AlertIncident, TaskFailure


@admin.register(AlertIncident)
class AlertIncidentAdmin(ReadOnlyAdmin):
    list_display = ("opened_at", "kind", "subject", "is_open", "occurrences", "last_seen_at", "notified_at",
                    "closed_at", "closed_reason")
    list_filter = ("kind", ("closed_at", admin.EmptyFieldListFilter))
    search_fields = ("subject",)
    date_hierarchy = "opened_at"

    @admin.display(boolean=True, description="open")
    def is_open(self, obj):
        return obj.closed_at is None


@admin.register(TaskFailure)
class TaskFailureAdmin(ReadOnlyAdmin):
    list_display = ("failed_at", "task_name", "task_id", "short_exception")
    list_filter = ("task_name",)
    date_hierarchy = "failed_at"
    show_full_result_count = False
    paginator = CappedCountPaginator

    @admin.display(description="exception")
    def short_exception(self, obj):
        return (obj.exception[:100] + "…") if len(obj.exception) > 100 else obj.exception


# The admin's home shows a link to the operations page for finance admins (it extends admin/index.html,
# so a project-wide override of that template, such as a dashboard, keeps the link).
admin.site.index_template = "monitoring/admin_index.html"
