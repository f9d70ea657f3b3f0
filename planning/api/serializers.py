"""Input of the plan import (the file's own columns are checked by ``planning.plan_import``)."""

from rest_framework import serializers

from common.api.parsers import UploadField
from planning.plan_import import PROJECT_MAX


class PlanImportSerializer(serializers.Serializer):
    file = UploadField(help_text="CSV, TSV or XLSX with the columns month, category_name, sum")
    preview = serializers.BooleanField(default=False, help_text="true: check and show, write nothing")
    project = serializers.CharField(max_length=PROJECT_MAX, required=False, allow_blank=True, default="",
                                    help_text="the plans' project where the file has no project column (default none)")
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, allow_blank=True, default="",
                                      help_text="the plans' currency where the file has none (default "
                                                "PLANS_DEFAULT_CURRENCY)")
