"""Formatting for the dashboard: shares as percents, changes with their sign, lags in words."""

from datetime import timedelta
from decimal import Decimal

from django import template

register = template.Library()

PERCENT = Decimal("0.01")


@register.filter
def percent(share) -> str:
    """0.7512 → '75.12 %'; None (nothing to divide) → '–'."""
    if share is None:
        return "–"
    return f"{(Decimal(share) * 100).quantize(PERCENT)} %"


@register.filter
def signed_pct(change) -> str:
    """A change in percent with its sign: +12.50 %, −3.10 %, or '–' when not comparable."""
    if change is None:
        return "–"
    change = Decimal(change)
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return f"{sign}{abs(change)} %"


@register.filter
def trend_class(change) -> str:
    if change is None or Decimal(change) == 0:
        return "flat"
    return "up" if Decimal(change) > 0 else "down"


@register.filter
def lag(delta: timedelta | None) -> str:
    """How long ago, coarsely: '4 min', '3 h 5 min', '2 d 1 h'; 'never' without a successful sync."""
    if delta is None:
        return "never"
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
