"""Query parameters of the reconciliation endpoints: one declaration for the server's parsing and the
OpenAPI schema."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from rest_framework import serializers

from common.api.pagination import PageParams
from common.api.params import ChoiceParam, DateParam, TextParam, date_order, invalid
from reconciliation.choices import DISCREPANCY_TYPES, ResultType, ReviewState
from reconciliation.exports import FORMATS
from reconciliation.services import MAX_RANGE_DAYS

DEFAULT_DAYS = 30


def business_today():
    return datetime.now(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date()


class SummaryParams(serializers.Serializer):
    date = DateParam(required=True, help_text="business day")
    project = TextParam(max_length=64)


class DiscrepancyParams(PageParams):
    from_date = DateParam(help_text="first business day (default: 29 days before to_date); at most "
                                    f"{MAX_RANGE_DAYS - 1} days before to_date")
    to_date = DateParam(help_text="last business day, inclusive (default: today)")
    type = ChoiceParam(DISCREPANCY_TYPES)
    review_state = ChoiceParam(ReviewState.choices)
    project = TextParam(max_length=64)

    def validate(self, attrs):
        last = attrs.get("to_date") or business_today()
        first = attrs.get("from_date") or last - timedelta(days=DEFAULT_DAYS - 1)
        date_order(first, last)
        if (last - first).days >= MAX_RANGE_DAYS:
            raise invalid("from_date", f"a period of at most {MAX_RANGE_DAYS} days", str(first))
        return {**attrs, "from_date": first, "to_date": last}


class ReconciliationExportParams(serializers.Serializer):
    date = DateParam(required=True, help_text="business day")
    format = ChoiceParam(list(FORMATS), required=True)
    type = ChoiceParam(ResultType.choices, help_text="csv and xlsx only")
