"""The credit portfolio in the admin: read-only, seen only by those ``portfolio_access`` lets in.

Imports write everything here; finance admins run one now and preview a file from the import log's page.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from common.admin_readonly import ReadOnlyAdmin
from credit_portfolio.access import ADMIN, portfolio_access
from credit_portfolio.choices import SOURCE_NAME
from credit_portfolio.models import (
    Bank,
    Contract,
    Expense,
    ImportLog,
    Organization,
    Receipt,
    RepaymentDetail,
)
from credit_portfolio.preview import file_preview


class PortfolioAdmin(ReadOnlyAdmin):
    """Visible to the portfolio's readers only; nothing is edited by hand (imports own the rows)."""

    show_full_result_count = False

    def has_module_permission(self, request):
        return portfolio_access(request.user) is not None

    def has_view_permission(self, request, obj=None):
        return portfolio_access(request.user) is not None


@admin.register(Organization, Bank)
class NamedAdmin(PortfolioAdmin):
    search_fields = ("name",)


@admin.register(Contract)
class ContractAdmin(PortfolioAdmin):
    list_display = ("name", "organization", "bank", "signed_on")
    list_filter = ("organization", "bank")
    list_select_related = ("organization", "bank")
    search_fields = ("name",)


@admin.register(Receipt, Expense)
class OperationAdmin(PortfolioAdmin):
    list_display = ("document", "date", "organization", "contract", "bank", "amount", "source_file", "source_row")
    list_filter = ("organization", "bank")
    list_select_related = ("organization", "contract", "bank")
    date_hierarchy = "date"
    search_fields = ("document",)


@admin.register(RepaymentDetail)
class DetailAdmin(PortfolioAdmin):
    list_display = ("expense_document", "payment_kind", "amount", "line", "date", "organization", "expense")
    list_filter = ("payment_kind", "organization")
    list_select_related = ("organization", "expense")
    raw_id_fields = ("expense",)
    search_fields = ("expense_document",)


class PreviewForm(forms.Form):
    file = forms.FileField(help_text="An accounting export (XLSX, XLS or XLSB) named as the FTP folder names it.")


@admin.register(ImportLog)
class ImportLogAdmin(PortfolioAdmin):
    list_display = ("file_name", "status", "started_at", "rows_read", "inserted", "updated", "unchanged", "rejected",
                    "deleted", "error")
    list_filter = ("status", "kind", "organization")
    search_fields = ("file_name",)
    change_list_template = "admin/credit_portfolio/importlog/change_list.html"

    def get_urls(self):
        return [path("run/", self.admin_site.admin_view(self.run_view), name="credit_portfolio_run"),
                path("preview/", self.admin_site.admin_view(self.preview_view), name="credit_portfolio_preview"),
                *super().get_urls()]

    def _admins_only(self, request):
        if portfolio_access(request.user) != ADMIN:
            raise PermissionDenied("running and previewing imports is for finance admins")

    def run_view(self, request):
        """POST: queue an import now (the same task beat starts at 06:00 Moscow time)."""
        self._admins_only(request)
        if request.method == "POST":
            from integrations.choices import RunTrigger
            from integrations.tasks import sync_provider

            sync_provider.delay(SOURCE_NAME, trigger=RunTrigger.ADMIN)
            self.message_user(request, "Import queued: its files appear here as the worker reads them.",
                              messages.SUCCESS)
        return redirect("admin:credit_portfolio_importlog_changelist")

    def preview_view(self, request):
        """Upload a file and see what importing it would do; nothing is written."""
        self._admins_only(request)
        form = PreviewForm(request.POST or None, request.FILES or None)
        preview = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.CREDIT_PORTFOLIO_PREVIEW_MAX_BYTES:
                form.add_error("file", f"larger than {settings.CREDIT_PORTFOLIO_PREVIEW_MAX_BYTES} bytes")
            else:
                preview = file_preview(name=upload.name, content=upload.read())
        context = {**self.admin_site.each_context(request), "title": "Preview an accounting export", "form": form,
                   "preview": preview, "opts": self.model._meta}
        return TemplateResponse(request, "admin/credit_portfolio/preview.html", context)
