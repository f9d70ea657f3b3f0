"""Query parameters of /api/v1/planning/… and their exports: one declaration for the server's parsing and the
OpenAPI schema."""

from rest_framework import serializers

from common.api.params import EARLIEST_DATE, LATEST_DATE, ChoiceParam, DateParam, TextParam, WholeNumberParam
from common.exports import FORMATS
from planning.calendar import business_today

PLAN_PROJECT_HELP = ("the plans of this project (default: plans without one; a token limited to projects must "
                     "name one)")


class YearParams(serializers.Serializer):
    year = WholeNumberParam(minimum=EARLIEST_DATE.year, maximum=LATEST_DATE.year, help_text="default: this year")
    project = TextParam(max_length=64, help_text=PLAN_PROJECT_HELP)

    def validate(self, attrs):
        return {**attrs, "year": attrs.get("year") or business_today().year}


class PaymentVolumesParams(YearParams):
    project = TextParam(max_length=64, help_text="default: every project the caller may see")


class PlansPerformanceParams(serializers.Serializer):
    date = DateParam(help_text="default: today in PLANNING_TIME_ZONE")
    project = TextParam(max_length=64, help_text=PLAN_PROJECT_HELP)

    def validate(self, attrs):
        return {**attrs, "date": attrs.get("date") or business_today()}


class FileFormatParams(serializers.Serializer):
    format = ChoiceParam(list(FORMATS), required=True)


class YearExportParams(FileFormatParams, YearParams):
    pass


class PlansPerformanceExportParams(FileFormatParams, PlansPerformanceParams):
    pass
