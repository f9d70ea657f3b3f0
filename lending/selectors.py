"""Reads of the loan book (SPEC 12): a borrower's credits as of a date."""

from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from common.errors import ApplicationError, ErrorCode
from lending.models import Borrower, Credit, RepaymentType

_ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=18, decimal_places=2))
_CENT = Decimal("0.01")
ID_MAX = 2**63 - 1  # ids are 64-bit integers (BigIntegerField)


def _repaid(kind: str, as_of: date):
    return Coalesce(Sum("repayments__amount", filter=Q(repayments__type=kind, repayments__paid_on__lte=as_of)), _ZERO)


def borrower_credits(*, borrower_id: int, as_of: date) -> dict:
    """Each credit the borrower had been issued by ``as_of``, closed (returned by then: the total repaid) or
    open (body and interest repaid by then, and days overdue past the due date). Repayments after ``as_of``
    do not count. An unknown borrower is a NOT_FOUND error."""
    borrower = None
    if borrower_id <= ID_MAX:  # a larger number is no id the database could hold (and would make it raise)
        borrower = Borrower.objects.filter(pk=borrower_id).values("id", "login", "registered_on").first()
    if borrower is None:
        raise ApplicationError(f"no borrower {borrower_id}", code=ErrorCode.NOT_FOUND,
                               details={"borrower": borrower_id if borrower_id <= ID_MAX else str(borrower_id)})
    credits = (Credit.objects.filter(borrower_id=borrower_id, issued_on__lte=as_of)
               .annotate(body_repaid=_repaid(RepaymentType.BODY, as_of),
                         interest_repaid=_repaid(RepaymentType.INTEREST, as_of))
               .order_by("issued_on", "id")
               .values("id", "issued_on", "due_on", "returned_on", "body", "interest", "body_repaid",
                       "interest_repaid"))
    return {"borrower": borrower, "as_of": as_of, "credits": [_credit(row, as_of) for row in credits]}


def _credit(row: dict, as_of: date) -> dict:
    body_repaid, interest_repaid = row.pop("body_repaid").quantize(_CENT), row.pop("interest_repaid").quantize(_CENT)
    if row["returned_on"] is not None and row["returned_on"] <= as_of:
        return row | {"status": "closed", "total_repaid": body_repaid + interest_repaid}
    overdue = max((as_of - row["due_on"]).days, 0)
    return row | {"status": "open", "body_repaid": body_repaid, "interest_repaid": interest_repaid,
                  "days_overdue": overdue}
