"""The lender's business day (``PLANNING_TIME_ZONE``): what "today" and "a month" mean to plans and the loan book."""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.PLANNING_TIME_ZONE)


def business_today() -> date:
    """Today in the business time zone (at 01:00 in Kyiv it is already tomorrow of UTC's 23:00)."""
    return timezone.now().astimezone(business_tz()).date()
