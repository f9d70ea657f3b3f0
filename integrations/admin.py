"""Back office for sync state, the run history and the quarantine."""

from django.contrib import admin, messages

from common.admin_search import ExactSearchMixin
from common.paginators import CappedCountPaginator
from integrations.choices import QuarantineState
from integrations.models import QuarantinedRecord, SyncRun, SyncState
from integrations.services import quarantine_discard, quarantine_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is written by the sync runner only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SyncState)
class SyncStateAdmin(ReadOnlyAdmin):
    list_display = ("source", "stream", "cursor", "window_end", "status", "last_run_at", "last_success_at")
    list_filter = ("source", "status")


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "source", "mode", "trigger", "status", "pages", "fetched", "inserted", "updated",
                    "unchanged", "quarantined", "duration", "short_error")
    list_filter = ("source", "status", "trigger", "mode")
    date_hierarchy = "started_at"
    show_full_result_count = False
    paginator = CappedCountPaginator

    @admin.display(description="duration (s)")
    def duration(self, obj):
        return None if obj.duration_seconds is None else round(obj.duration_seconds, 1)

    @admin.display(description="error")
    def short_error(self, obj):
        return (obj.error[:80] + "…") if len(obj.error) > 80 else obj.error


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(ExactSearchMixin, admin.ModelAdmin):
    list_display = ("created_at", "source", "source_id", "state", "short_error", "run", "retried_at")
    list_filter = ("source", "state")
    exact_search_fields = ("source_id",)
    raw_id_fields = ("run",)
    list_select_related = ("run",)
    readonly_fields = ("run", "source", "source_id", "raw_payload", "error", "state", "created_at", "retried_at",
                       "retry_error")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ["retry", "discard"]

    @admin.display(description="error")
    def short_error(self, obj):
        return (obj.error[:80] + "…") if len(obj.error) > 80 else obj.error

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry: normalize again and store the records that now pass", permissions=["change"])
    def retry(self, request, queryset):
        outcome = quarantine_retry(records=list(queryset.filter(state=QuarantineState.OPEN)))
        level = messages.SUCCESS if not outcome.still_failing else messages.WARNING
        self.message_user(
            request,
            f"{outcome.resolved} resolved ({outcome.upsert.inserted} inserted, {outcome.upsert.updated} updated, "
            f"{outcome.upsert.unchanged} unchanged); {outcome.still_failing} still failing.",
            level,
        )

    @admin.action(description="Discard: keep as evidence, stop counting as open", permissions=["change"])
    def discard(self, request, queryset):
        count = quarantine_discard(records=list(queryset.filter(state=QuarantineState.OPEN)))
        self.message_user(request, f"{count} records discarded.", messages.SUCCESS)
