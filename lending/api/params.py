"""Query parameters of /api/v1/lending/…: one declaration for the server's parsing and the OpenAPI schema."""

from rest_framework import serializers

from common.api.params import DateParam
from planning.calendar import business_today


class BorrowerCreditsParams(serializers.Serializer):
    date = DateParam(help_text="default: today in PLANNING_TIME_ZONE")

    def validate(self, attrs):
        return {**attrs, "date": attrs.get("date") or business_today()}
