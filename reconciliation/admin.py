"""Back office for reconciliation: results to review in bulk (with their audit history), runs, tolerances."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from common.admin_money import BACKOFFICE_CSS, money_column
from common.errors import ApplicationError
from common.paginators import CappedCountPaginator
from reconciliation.admin_filters import AgeFilter, AmountRangeFilter, RunFilter
from reconciliation.choices import ReasonCode, ResultType, ReviewState
from reconciliation.models import ReconciliationResult, ReconciliationRun, ReconciliationTolerance
from reconciliation.services import results_review

ENGINE_FIELDS = ("run", "key", "result_date", "project", "result_type", "amount_differs", "status_differs",
                 "vima_link", "payshack_link", "vima_count", "payshack_count", "vima_money", "payshack_money",
                 "vima_status", "payshack_status", "difference_money", "reviewed_at")


class ResolveForm(forms.Form):
    reason_code = forms.ChoiceField(choices=ReasonCode.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True, is_staff=True),
                                      required=False, help_text="Empty: unassign.")


@admin.register(ReconciliationResult)
class ReconciliationResultAdmin(SimpleHistoryAdmin):
    """Results are written by runs; people change only the review, through the bulk actions or the form,
    and every change is kept (History)."""

    # The columns a reviewer needs first, fitting 1280 px beside the filters; amounts, statuses and the project of
    # each side are in the detail.
    list_display = ("key", "date", "result_type", "difference_money", "review", "records")
    list_filter = (RunFilter, "result_type", "review_state", "project", AmountRangeFilter, AgeFilter,
                   "amount_differs", "status_differs")
    search_fields = ("=key",)
    list_select_related = ("assignee",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    # Newest first by id: the primary key's index serves it at any size (a run writes its results together).
    ordering = ("-id",)
    readonly_fields = ENGINE_FIELDS
    fields = (*ENGINE_FIELDS, "review_state", "assignee", "reason_code", "note")
    raw_id_fields = ("assignee",)
    actions = ["acknowledge", "resolve", "assign"]
    history_list_display = ("review_state", "assignee", "reason_code", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).of_succeeded_runs()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """The change form's review goes through the service (audit row, cache), like the API's."""
        changes = {name: form.cleaned_data[name] for name in ("review_state", "reason_code", "note", "assignee")
                   if name in form.changed_data}
        if changes:
            try:
                results_review(result_ids=[obj.pk], user=request.user, **changes)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)

    vima_money = money_column("vima_amount", "vima_currency", description="Vima amount")
    payshack_money = money_column("payshack_amount", "payshack_currency", description="PayShack amount")
    difference_money = money_column("difference", "vima_currency", description="difference")

    class Media:
        css = BACKOFFICE_CSS

    @admin.display(description="date", ordering="result_date")
    def date(self, obj):
        return obj.result_date.isoformat()

    @admin.display(description="review", ordering="review_state")
    def review(self, obj):
        state = obj.get_review_state_display()
        return f"{state}, {obj.assignee.get_username()}" if obj.assignee_id else state

    @admin.display(description="records")
    def records(self, obj):
        links = [_transaction_link(transaction_id, count, label=label) for transaction_id, count, label in (
            (obj.vima_transaction_id, obj.vima_count, "Vima"), (obj.payshack_transaction_id, obj.payshack_count,
                                                                "PayShack")) if transaction_id]
        return format_html_join(" · ", "{}", ((link,) for link in links)) or "—"

    @admin.display(description="Vima")
    def vima_link(self, obj):
        return _transaction_link(obj.vima_transaction_id, obj.vima_count)

    @admin.display(description="PayShack")
    def payshack_link(self, obj):
        return _transaction_link(obj.payshack_transaction_id, obj.payshack_count)

    @admin.action(description="Acknowledge selected results", permissions=["change"])
    def acknowledge(self, request, queryset):
        changed = results_review(result_ids=list(queryset.values_list("pk", flat=True)), user=request.user,
                                 review_state=ReviewState.ACKNOWLEDGED)
        self.message_user(request, f"{changed} result(s) acknowledged.")

    @admin.action(description="Resolve selected results with a reason…", permissions=["change"])
    def resolve(self, request, queryset):
        form = ResolveForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = results_review(result_ids=list(queryset.values_list("pk", flat=True)), user=request.user,
                                     review_state=ReviewState.RESOLVED, reason_code=form.cleaned_data["reason_code"],
                                     note=form.cleaned_data["note"] or None)
            self.message_user(request, f"{changed} result(s) resolved.")
            return None
        return self._intermediate(request, queryset, form, "resolve", "Resolve results")

    @admin.action(description="Assign selected results…", permissions=["change"])
    def assign(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = results_review(result_ids=list(queryset.values_list("pk", flat=True)), user=request.user,
                                     assignee=form.cleaned_data["assignee"])
            self.message_user(request, f"{changed} result(s) assigned.")
            return None
        return self._intermediate(request, queryset, form, "assign", "Assign results")

    def _intermediate(self, request, queryset, form, action, title):
        return TemplateResponse(request, "admin/reconciliation/review_action.html", {
            **self.admin_site.each_context(request), "title": title, "form": form, "action": action,
            "results": queryset[:100], "count": queryset.count(), "opts": self.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        })


def _transaction_link(transaction_id, count: int, *, label: str = "open"):
    if transaction_id is None:
        return "—"
    url = reverse("admin:transactions_transaction_change", args=[transaction_id])
    extra = f" (+{count - 1})" if count > 1 else ""
    return format_html('<a href="{}">{}</a>{}', url, label, extra)


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(admin.ModelAdmin):
    """Runs with their counts per class; each count links to its results."""

    list_display = ("id", "date_from", "date_to", "status", "trigger", *(f"count_{t}" for t in ResultType.values),
                    "duration_ms", "started_at", "superseded_by")
    list_filter = ("status", "trigger")
    date_hierarchy = "date_from"
    ordering = ("-id",)
    readonly_fields = ("date_from", "date_to", "left_source", "right_source", "status", "trigger", "requested_by",
                       "counts_table", "parameters", "started_at", "finished_at", "duration_ms", "error",
                       "superseded_by")
    exclude = ("counts",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Results per class")
    def counts_table(self, obj):
        results = reverse("admin:reconciliation_reconciliationresult_changelist")
        rows = format_html_join(
            "", '<tr><td>{}</td><td style="text-align:right"><a href="{}?{}">{}</a></td></tr>',
            ((label, results, urlencode({"run": obj.pk, "result_type": value}), obj.counts.get(value, 0))
             for value, label in ResultType.choices))
        return format_html("<table>{}</table>", rows)


def _count_column(result_type: str):
    def column(self, obj):
        return obj.counts.get(result_type, 0)

    column.short_description = result_type.replace("_", " ")
    return column


for _type in ResultType.values:
    setattr(ReconciliationRunAdmin, f"count_{_type}", _count_column(_type))


@admin.register(ReconciliationTolerance)
class ReconciliationToleranceAdmin(admin.ModelAdmin):
    list_display = ("left_source", "right_source", "project", "absolute", "percent", "updated_at")
