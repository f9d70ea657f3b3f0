"""Query parameters of /api/v1/forecasts/…: one declaration for the server's parsing and the OpenAPI schema."""

from django.conf import settings
from rest_framework import serializers

from common.api.params import DateParam, TextParam, date_order, invalid

SERIES_HELP = ("kind:key: sales:D001, payments_count:91G:payin or payments_amount:91G:payin:INR "
               "(404 when there is no such series)")


class ForecastParams(serializers.Serializer):
    series = TextParam(required=True, help_text=SERIES_HELP)
    date = DateParam(required=True, help_text="the day to forecast")


class RangeParams(serializers.Serializer):
    """A range of days of every department's sales (or of one ``series``)."""

    series = TextParam(help_text=f"{SERIES_HELP}; default: every department")
    from_date = DateParam(required=True)
    to_date = DateParam(required=True, help_text="inclusive; at most FORECAST_MAX_RANGE_DAYS days after from_date")

    def validate(self, attrs):
        first, last = attrs["from_date"], attrs["to_date"]
        date_order(first, last)
        limit = settings.FORECAST_MAX_RANGE_DAYS
        if (last - first).days + 1 > limit:
            raise invalid("to_date", f"a range of at most {limit} days (FORECAST_MAX_RANGE_DAYS)",
                          f"{first}..{last}: {(last - first).days + 1} days")
        return attrs
