"""Admin columns and read-only fields that write money the back office's one way (``transactions.money``)."""

import json

from django.contrib import admin
from django.utils.html import format_html

from transactions.money import format_money

BACKOFFICE_CSS = {"all": ["common/backoffice.css"]}


def money_column(amount_field: str, currency_field: str, *, description: str):
    """A column (or read-only field) showing ``amount_field`` in ``currency_field``: '42,808.16 INR'."""

    @admin.display(description=description, ordering=amount_field)
    def column(self, obj):
        return format_html('<span class="money">{}</span>',
                           format_money(getattr(obj, amount_field), getattr(obj, currency_field)))

    return column


def pretty_json(value, *, summary: str):
    """A JSON document indented and folded under ``summary`` (the raw provider record is long)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return format_html('<details class="raw-record"><summary>{}</summary><pre>{}</pre></details>', summary, text)
