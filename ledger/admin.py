"""Back office of the ledger: the chart, journals, rules (ties shown), vouchers with their lines (read-only once
posted) and workflow actions, periods with close/lock/reopen, balances, GL reconciliation results.

Every action calls a service and reports each refusal with the rule that refused (e.g. ``SOD_SAME_USER``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from common.admin_readonly import ReadOnlyAdmin
from common.paginators import CappedCountPaginator
from ledger.choices import VoucherKind, VoucherStatus
from ledger.errors import LedgerError
from ledger.models import (
    Account,
    AccountBalance,
    DayBalance,
    GLReconciliationResult,
    GLReconciliationRun,
    Journal,
    Period,
    PeriodEvent,
    PostingRule,
    Voucher,
    VoucherLine,
)
from ledger.services.bulk import bulk_apply
from ledger.services.periods import period_for, period_move
from ledger.services.reconciliation import gl_results_review
from ledger.services.rules import rule_conflicts, rule_ties
from ledger.services.vouchers import LineInput, lines_check


def _report(modeladmin, request, result: dict, verb: str) -> None:
    """One message for what succeeded, one per failure naming its rule."""
    if result["succeeded"]:
        modeladmin.message_user(request, f"{verb}: {result['succeeded']} of {result['total']}.", messages.SUCCESS)
    for item in result["results"]:
        if not item["ok"]:
            modeladmin.message_user(request, f"#{item['id']}: {item['error']['message']}", messages.ERROR)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "currency", "parent", "purpose", "source", "is_control",
                    "allows_direct_posting", "is_active", "tolerance_amount", "tolerance_percent")
    list_filter = ("type", "purpose", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("code",)


@admin.register(Journal)
class JournalAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "source")


class RuleForm(forms.ModelForm):
    class Meta:
        model = PostingRule
        fields = ("name", "event", "source", "project", "currency", "direction", "debit_account", "credit_account",
                  "priority", "is_active")

    def clean(self):
        """A rule that would tie with another is refused here, as ``rule_save`` refuses it."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = PostingRule(pk=self.instance.pk, **{k: v for k, v in cleaned.items() if k != "id"})
        tied = rule_ties(candidate)
        if tied:
            names = ", ".join(f"{rule.name!r} (id {rule.pk})" for rule in tied)
            raise forms.ValidationError(f"RULE_TIE: this rule would tie with {names}: same event, as specific, same "
                                        "priority; give one a different priority or more fields")
        return cleaned


@admin.register(PostingRule)
class PostingRuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = ("name", "event", "source", "project", "currency", "direction", "debit_account", "credit_account",
                    "priority", "is_active", "ties")
    list_filter = ("event", "source", "is_active")
    list_select_related = ("debit_account", "credit_account")

    def changelist_view(self, request, extra_context=None):
        conflicts = rule_conflicts()
        for a, b in conflicts:
            self.message_user(request, f"RULE_TIE: {a.name!r} (id {a.pk}) and {b.name!r} (id {b.pk}) tie; events "
                              "both match go to suspense until one is changed", messages.WARNING)
        self._ties = {rule.pk: other for a, b in conflicts for rule, other in ((a, b), (b, a))}
        return super().changelist_view(request, extra_context)

    @admin.display(description="ties with")
    def ties(self, rule):
        other = getattr(self, "_ties", {}).get(rule.pk)
        return f"{other.name} (id {other.pk})" if other else ""


class LineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The lines of a draft must make a voucher: the service's checks, named by the rule that refused."""
        super().clean()
        if any(self.errors):
            return
        lines = [LineInput(account=form.cleaned_data["account"], debit=form.cleaned_data.get("debit") or 0,
                           credit=form.cleaned_data.get("credit") or 0, currency=form.cleaned_data["currency"],
                           project=form.cleaned_data.get("project", ""))
                 for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            lines_check(lines, manual=True)
        except LedgerError as error:
            raise forms.ValidationError(error.message) from None


class LineInline(admin.TabularInline):
    model = VoucherLine
    formset = LineFormSet
    fields = ("account", "debit", "credit", "currency", "project", "description", "rule", "key_day", "key_source",
              "key_event")
    readonly_fields = ("rule", "key_day", "key_source", "key_event")
    raw_id_fields = ("account",)
    extra = 2

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == VoucherStatus.DRAFT

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    """Drafts are edited here (created by the person saving them); review, post, reverse and cancel are actions
    with segregation of duties. Posted and cancelled vouchers are read-only."""

    list_display = ("__str__", "journal", "date", "status", "kind", "description", "created_by", "reviewed_by",
                    "posted_by")
    list_filter = ("status", "kind", "journal")
    search_fields = ("=number", "description")
    list_select_related = ("journal", "created_by", "reviewed_by", "posted_by")
    show_full_result_count = False
    paginator = CappedCountPaginator
    ordering = ("-id",)
    inlines = [LineInline]
    fields = ("journal", "date", "description", "number", "status", "kind", "period", "source_day", "reverses",
              "created_by", "created_at", "reviewed_by", "reviewed_at", "posted_by", "posted_at")
    readonly_fields = ("number", "status", "kind", "period", "source_day", "reverses", "created_by", "created_at",
                       "reviewed_by", "reviewed_at", "posted_by", "posted_at")
    actions = ["review", "post", "reverse", "cancel"]

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.status == VoucherStatus.DRAFT
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by, obj.created_at, obj.kind = request.user, timezone.now(), VoucherKind.MANUAL
        obj.period = period_for(obj.date)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for line in formset.save(commit=False):
            line.date = form.instance.date
            line.save()
        for line in formset.deleted_objects:
            line.delete()

    def _bulk(self, request, queryset, action: str, verb: str):
        ids = list(queryset.values_list("pk", flat=True))
        _report(self, request, bulk_apply(action=action, ids=ids, mode="continue", user=request.user), verb)

    @admin.action(description="Review (finance_manager, not the creator)")
    def review(self, request, queryset):
        self._bulk(request, queryset, "review", "Reviewed")

    @admin.action(description="Post (finance_admin, not the creator)")
    def post(self, request, queryset):
        self._bulk(request, queryset, "post", "Posted")

    @admin.action(description="Reverse (a draft mirroring each posted voucher)")
    def reverse(self, request, queryset):
        self._bulk(request, queryset, "reverse", "Reversal drafts created")

    @admin.action(description="Cancel drafts or vouchers in review")
    def cancel(self, request, queryset):
        self._bulk(request, queryset, "cancel", "Cancelled")


class ReasonActionForm(ActionForm):
    reason = forms.CharField(required=False, help_text="Needed to reopen a period.")


class PeriodEventInline(admin.TabularInline):
    model = PeriodEvent
    fields = readonly_fields = ("at", "action", "from_status", "to_status", "user", "reason")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("code", "start", "end", "status", "history")
    inlines = [PeriodEventInline]
    action_form = ReasonActionForm
    actions = ["close", "lock", "reopen"]

    @admin.display(description="audit")
    def history(self, period):
        return format_html_join(", ", "{} by {} ({})", ((event.action, event.user, event.reason or "—")
                                                       for event in period.events.all()[:3]))

    def _move(self, request, queryset, action: str):
        reason = request.POST.get("reason", "")
        for period in queryset:
            try:
                period_move(period_id=period.pk, action=action, user=request.user, reason=reason)
            except LedgerError as error:
                self.message_user(request, f"{period.code}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{period.code}: {action} done.", messages.SUCCESS)

    @admin.action(description="Close (no drafts left)")
    def close(self, request, queryset):
        self._move(request, queryset, "close")

    @admin.action(description="Lock (finance_admin)")
    def lock(self, request, queryset):
        self._move(request, queryset, "lock")

    @admin.action(description="Reopen (finance_admin, with the reason above)")
    def reopen(self, request, queryset):
        self._move(request, queryset, "reopen")


@admin.register(AccountBalance)
class AccountBalanceAdmin(ReadOnlyAdmin):
    list_display = ("account", "period", "currency", "project", "debit", "credit")
    list_filter = ("currency", "period")
    list_select_related = ("account", "period")


@admin.register(DayBalance)
class DayBalanceAdmin(ReadOnlyAdmin):
    list_display = ("account", "day", "currency", "project", "debit", "credit")
    list_filter = ("currency",)
    list_select_related = ("account",)
    date_hierarchy = "day"


class GLResultInline(admin.TabularInline):
    model = GLReconciliationResult
    fields = readonly_fields = ("account", "currency", "gl_balance", "subledger_balance", "provider_balance",
                                "variance", "tolerance", "status", "review_status")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(GLReconciliationRun)
class GLReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "as_of", "status", "created_by", "created_at", "finished_at")
    inlines = [GLResultInline]


class ReviewActionForm(ActionForm):
    reason = forms.CharField(required=False, help_text="Needed to resolve.")


@admin.register(GLReconciliationResult)
class GLReconciliationResultAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Results are written by runs; people acknowledge or resolve them (with a reason), every change audited."""

    list_display = ("run", "account", "currency", "gl_balance", "subledger_balance", "provider_balance", "variance",
                    "tolerance", "status", "review_status", "review_reason", "reviewed_by")
    list_filter = ("status", "review_status", "currency")
    list_select_related = ("run", "account", "reviewed_by")
    action_form = ReviewActionForm
    actions = ["acknowledge", "resolve"]

    def _review(self, request, queryset, action: str):
        try:
            count = gl_results_review(result_ids=list(queryset.values_list("pk", flat=True)), user=request.user,
                                      action=action, reason=request.POST.get("reason", ""))
        except LedgerError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"{action}: {count}.", messages.SUCCESS)

    @admin.action(description="Acknowledge")
    def acknowledge(self, request, queryset):
        self._review(request, queryset, "acknowledged")

    @admin.action(description="Resolve (with the reason above)")
    def resolve(self, request, queryset):
        self._review(request, queryset, "resolved")
