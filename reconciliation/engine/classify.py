"""The classification rules in Python: the SQLite fallback uses them, and they state in plain code what
the PostgreSQL statement does in SQL (the tests hold both to the same results)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from reconciliation.choices import ResultType
from reconciliation.engine.parameters import RunParameters, finality


@dataclass(frozen=True, slots=True)
class Side:
    """The first row (by creation time, then id) of one key on one source, and how many rows it has."""

    id: object
    amount: Decimal
    currency: str
    status: str
    created_at: datetime
    count: int


@dataclass(frozen=True, slots=True)
class Classified:
    project: str
    key: str
    result_date: date
    result_type: str
    amount_differs: bool
    status_differs: bool
    left: Side | None
    right: Side | None
    difference: Decimal | None


def key_results(project: str, key: str, left: Side | None, right: Side | None,
                params: RunParameters) -> list[Classified]:
    """The results of one key: one, or two orphans when its two sides are too far apart to meet."""
    if left is not None and right is not None and not params.meet(left.created_at, right.created_at):
        return [classify(project, key, left, None, params), classify(project, key, None, right, params)]
    return [classify(project, key, left, right, params)]


def classify(project: str, key: str, left: Side | None, right: Side | None, params: RunParameters) -> Classified:
    """One key's result; the class follows ``reconciliation.choices.PRECEDENCE``."""
    both = left is not None and right is not None
    amount_differs = both and (left.currency != right.currency
                               or not params.tolerance_for(project).allows(left.amount, right.amount))
    status_differs = both and finality(left.status) != finality(right.status)
    if (left and left.count > 1) or (right and right.count > 1):
        result_type = ResultType.DUPLICATE
    elif left is None:
        result_type = ResultType.MISSING_VIMA
    elif right is None:
        result_type = ResultType.MISSING_PAYSHACK
    elif status_differs:
        result_type = ResultType.DISCREPANCY_STATUS
    elif amount_differs:
        result_type = ResultType.DISCREPANCY_AMOUNT
    else:
        result_type = ResultType.MATCHED
    return Classified(
        project=project, key=key, result_date=params.local_date((left or right).created_at),
        result_type=result_type.value, amount_differs=amount_differs, status_differs=status_differs,
        left=left, right=right,
        difference=right.amount - left.amount if both and left.currency == right.currency else None,
    )
