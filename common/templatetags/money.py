"""``{{ amount|money:currency }}``: every amount in the back office written one way (``transactions.money``)."""

from django import template

from transactions.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=None) -> str:
    return format_money(amount, currency)
