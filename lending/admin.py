"""Back office for the loan book: read-only (``manage.py lending load`` writes it), sized for millions of rows."""

from decimal import Decimal

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from common.admin_readonly import ReadOnlyAdmin
from lending.models import Borrower, Credit, LoanDay, Repayment


@admin.register(Borrower)
class BorrowerAdmin(ReadOnlyAdmin):
    list_display = ("id", "login", "registered_on", "credits_link")
    search_fields = ("=id", "login")
    show_full_result_count = False

    @admin.display(description="credits")
    def credits_link(self, borrower):
        url = reverse("planning:performance") + f"?borrower={borrower.pk}"
        return format_html('<a href="{}">credits as of today</a>', url)


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ("id", "borrower", "issued_on", "due_on", "returned_on", "body", "interest")
    list_select_related = ("borrower",)
    raw_id_fields = ("borrower",)
    search_fields = ("=id", "=borrower__id", "borrower__login")
    date_hierarchy = "issued_on"
    show_full_result_count = False


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "credit", "paid_on", "type", "amount")
    list_filter = ("type",)
    raw_id_fields = ("credit",)
    search_fields = ("=id", "=credit__id")
    date_hierarchy = "paid_on"
    show_full_result_count = False


@admin.register(LoanDay)
class LoanDayAdmin(ReadOnlyAdmin):
    """The daily totals plan against actual reads; rebuilt by every load that changes the book."""

    list_display = ("day", "kind", "count", "amount")
    list_filter = ("kind",)
    date_hierarchy = "day"

    @admin.display(description="sum")
    def amount(self, row):
        return Decimal(row.amount_e2) / 100
