"""Writing plans: the import of a plan file, all or nothing (SPEC 12)."""

from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction

from common.errors import ApplicationError, ErrorCode
from planning.models import Plan
from planning.plan_files import Problem, Table
from planning.plan_import import PlanRow, plans_check
from planning.signals import plans_changed

BATCH_ROWS = 2_000  # plans per INSERT: SQLite's limit on variables per statement, with room


class PlanImportError(ApplicationError):
    """A plan file with problems: nothing of it is written; ``details["problems"]`` lists every one."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(f"the plan file has {len(problems)} problem{'s' if len(problems) > 1 else ''}, nothing "
                         f"was written; the first: {first}", details={"problems": [p.as_dict() for p in problems]})
        self.problems = problems


@dataclass(frozen=True)
class PlanImport:
    plans: list[PlanRow]
    written: list[Plan]  # empty for a preview


def plans_import(*, table: Table, project: str, currency: str, preview: bool,
                 allowed: frozenset[str] | None = None) -> PlanImport:
    """Check ``table`` (``plans_check``) and, unless ``preview``, write its plans in one transaction.

    ``allowed``: the projects a project-limited caller may plan (None: any). Raises ``PlanImportError`` with
    every problem when there is any; then nothing is written. A plan written by someone else between the
    check and the write is refused the same way."""
    checked = plans_check(table=table, project=project, currency=currency, allowed=allowed)
    if checked.problems:
        raise PlanImportError(checked.problems)
    if preview or not checked.plans:
        return PlanImport(plans=checked.plans, written=[])
    try:
        with transaction.atomic():
            written = Plan.objects.bulk_create(
                [Plan(month=p.month, category=p.category, project=p.project, amount=p.amount, currency=p.currency)
                 for p in checked.plans], batch_size=BATCH_ROWS)
            codes = frozenset(p.category.code for p in checked.plans)
            transaction.on_commit(partial(plans_changed.send, sender=Plan, codes=codes))
    except IntegrityError:
        raise PlanImportError([Problem(None, None, "a plan of this file was written by someone else while it "
                                                   "was being imported; preview it again")]) from None
    return PlanImport(plans=checked.plans, written=written)
