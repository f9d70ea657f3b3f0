"""The admin's plan import (django-import-export, with its confirm step) on the API's rule.

The resource hands the uploaded dataset to ``planning.services.plans_import`` — the same check and
the same all-or-nothing write as ``POST /api/v1/planning/plans/import`` — and turns its answer into
import-export's result: every problem as an invalid row naming its column, or the plans as new rows.
"""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from import_export.results import Result, RowResult

from planning.models import Plan
from planning.plan_files import table_from_lines
from planning.services import PlanImportError, plans_import

SHOWN = ("month", "category_name", "sum", "project", "currency")


class PlanResource(resources.ModelResource):
    """Plans in (new plans only: an existing one is a problem, never an update)."""

    class Meta:
        model = Plan
        fields = ("month", "category__name", "project", "amount", "currency")

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        table = table_from_lines([list(dataset.headers or []), *[list(row) for row in dataset]])
        result = Result()
        result.diff_headers = list(SHOWN)
        try:
            answer = plans_import(table=table, project="", currency=settings.PLANS_DEFAULT_CURRENCY, preview=dry_run)
        except PlanImportError as error:
            names = [header.strip().lower() for header in table.headers]
            cells = {number: dict(zip(names, values, strict=False)) for number, values in table.rows}
            _invalid_rows(result, error.problems, cells)
            return result
        instances = answer.written or [None] * len(answer.plans)
        for plan, instance in zip(answer.plans, instances, strict=True):
            row = RowResult()
            row.import_type = RowResult.IMPORT_TYPE_NEW
            row.diff = [plan.month, plan.category.name, plan.amount, plan.project, plan.currency]
            if instance is not None:
                row.instance = instance
                row.add_instance_info(instance)
            result.append_row_result(row)
            result.increment_row_result_total(row)
        result.total_rows = len(answer.plans)
        return result


def _invalid_rows(result: Result, problems, cells: dict) -> None:
    """One invalid row per row of the file with its problems by column (row 0: the file as a whole)."""
    by_row = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        by_row[problem.row or 0][problem.column or NON_FIELD_ERRORS].append(problem.message)
    for number, errors in sorted(by_row.items()):
        values = {name: cells.get(number, {}).get(name, "") for name in SHOWN}
        result.append_invalid_row(number, values, ValidationError({k: v for k, v in errors.items()}))
