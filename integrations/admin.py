"""Back office for sync state, the run history and the quarantine."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from common.admin_readonly import ReadOnlyAdmin
from common.admin_search import ExactSearchMixin
from common.paginators import CappedCountPaginator
from integrations.choices import QuarantineState
from integrations.models import BalanceSnapshot, ProviderAccount, QuarantinedRecord, SyncEvidence, SyncRun, SyncState
from integrations.services import quarantine_discard, quarantine_retry


@admin.register(SyncState)
class SyncStateAdmin(ReadOnlyAdmin):
    list_display = ("source", "stream", "cursor", "window_end", "status", "last_run_at", "last_success_at")
    list_filter = ("source", "status")


def _download_link(evidence: SyncEvidence) -> str:
    url = reverse("admin:integrations_syncevidence_download", args=[evidence.pk])
    return format_html('<a href="{}">{}</a>', url, evidence.name)


class SyncEvidenceInline(admin.TabularInline):
    model = SyncEvidence
    fields = ("download", "created_at")
    readonly_fields = ("download", "created_at")
    extra = 0
    can_delete = False

    @admin.display(description="file")
    def download(self, obj):
        return _download_link(obj)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SyncEvidence)
class SyncEvidenceAdmin(ReadOnlyAdmin):
    """Screenshots and HTML of portal pages that broke a run; downloaded through the admin, not MEDIA_URL."""

    list_display = ("created_at", "run", "download")
    list_select_related = ("run",)

    @admin.display(description="file")
    def download(self, obj):
        return _download_link(obj)

    def get_urls(self):
        download = path("<int:pk>/download/", self.admin_site.admin_view(self.download_view),
                        name="integrations_syncevidence_download")
        return [download, *super().get_urls()]

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        evidence = get_object_or_404(SyncEvidence, pk=pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=evidence.name.endswith(".html"),
                            filename=f"run-{evidence.run_id}-{evidence.name}")


@admin.register(ProviderAccount)
class ProviderAccountAdmin(ReadOnlyAdmin):
    list_display = ("name", "source", "kind", "external_id", "status", "balance", "currency", "refreshed_at")
    list_filter = ("source", "kind", "status")
    search_fields = ("name", "external_id")


@admin.register(BalanceSnapshot)
class BalanceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("taken_at", "account", "balance", "currency", "run")
    list_filter = ("account__source", "account")
    list_select_related = ("account", "run")
    date_hierarchy = "taken_at"
    show_full_result_count = False
    paginator = CappedCountPaginator


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    inlines = [SyncEvidenceInline]
    list_display = ("started_at", "source", "kind", "mode", "trigger", "status", "pages", "fetched", "inserted",
                    "updated", "unchanged", "quarantined", "duration", "short_error")
    list_filter = ("source", "kind", "status", "trigger", "mode")
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
