"""Loading the loan book from the original exports (SPEC 12): all five files in one transaction."""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.db import transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone

from lending.demo import demo_write
from lending.files import LoadError, read_rows
from lending.models import Borrower, Credit, LoanDay, LoanDayKind, Repayment
from lending.writer import rows_upsert
from planning.choices import CategoryCode
from planning.models import Category, Plan
from planning.signals import loan_book_changed, plans_changed


@dataclass(frozen=True)
class LoadResult:
    """Rows read from each file."""

    borrowers: int
    credits: int
    repayments: int
    plans: int


def loan_book_load(*, directory: Path, currency: str) -> LoadResult:
    """Read and check every file first (file I/O stays outside the transaction), then write them
    all in one transaction: a row that breaks a rule raises ``LoadError`` and nothing is written.
    Plans of ``plans.csv`` have no project and are in ``currency``."""
    categories = _dictionary(directory)
    users = [values for _, values in _unique("users.csv", list(read_rows(directory, "users.csv")),
                                             {"id": 0, "login": 1})]
    credits = _credits(directory, {values[0] for values in users})
    repayments = _repayments(directory, {values[0] for values in credits}, categories)
    plans = _plans(directory, categories, currency)
    with transaction.atomic():
        book = rows_upsert(model=Borrower, fields=["id", "login", "registered_on"], rows=users, key=["id"])
        book += rows_upsert(model=Credit, fields=["id", "borrower_id", "issued_on", "due_on", "returned_on", "body",
                                                  "interest"], rows=credits, key=["id"])
        book += rows_upsert(model=Repayment, fields=["id", "credit_id", "paid_on", "type", "amount"],
                            rows=repayments, key=["id"])
        planned = rows_upsert(model=Plan, fields=["month", "category_id", "project", "amount", "currency",
                                                  "created_at"], rows=plans, key=["month", "category_id", "project"],
                              insert_only=["created_at"])
        if book:  # a re-load of the same files changes no total, and invalidates no answer
            loan_days_rebuild()
            transaction.on_commit(partial(loan_book_changed.send, sender=Credit))
        if planned:
            by_pk = {category.pk: category.code for category in categories.values()}
            transaction.on_commit(partial(plans_changed.send, sender=Plan, codes=frozenset(by_pk[row[1]]
                                                                                           for row in plans)))
    return LoadResult(len(users), len(credits), len(repayments), len(plans))


def loan_book_demo(*, directory: Path, seed: int, size: int, year: int) -> LoadResult:
    """A generated loan book of ``size`` credits and its plans for ``year``, written to ``directory`` and loaded
    (the demo's; the same seed writes the same files, so running it again changes nothing)."""
    demo_write(directory=directory, seed=seed, size=size, year=year)
    return loan_book_load(directory=directory, currency="UAH")


def _dictionary(directory: Path) -> dict[int, Category]:
    """The export's category ids, matched to the categories by name (case aside)."""
    by_name = {category.name.casefold(): category for category in Category.objects.all()}
    found = {}
    for line, (number, name) in read_rows(directory, "dictionary.csv"):
        if name.casefold() not in by_name:
            raise LoadError("dictionary.csv", line, "name", f"unknown category {name!r}")
        found[number] = by_name[name.casefold()]
    return found


def _unique(name: str, rows: list[tuple], columns: dict[str, int]) -> list[tuple]:
    """``rows`` (line, values), refused at the first value of ``columns`` seen twice in the file."""
    for column, index in columns.items():
        seen = set()
        for line, values in rows:
            if values[index] in seen:
                raise LoadError(name, line, column, f"{values[index]!r} appears twice in the file")
            seen.add(values[index])
    return rows


def _known(ids: set[int], model, wanted: set[int]) -> set[int]:
    """``ids`` and those of ``wanted`` already stored: a file may refer to rows of an earlier load."""
    missing = wanted - ids
    return ids | set(model.objects.filter(id__in=missing).values_list("id", flat=True)) if missing else ids


def _credits(directory: Path, user_ids: set[int]) -> list[tuple]:
    rows = _unique("credits.csv", list(read_rows(directory, "credits.csv")), {"id": 0})
    known = _known(user_ids, Borrower, {values[1] for _, values in rows})
    for line, (_, user, issued, due, returned, body, interest) in rows:
        problem = (("user_id", f"no user {user}") if user not in known else
                   ("return_date", "before the issuance date") if due < issued else
                   ("actual_return_date", "before the issuance date") if returned and returned < issued else
                   ("body", "must be more than 0") if body <= 0 else
                   ("percent", "must not be negative") if interest < 0 else None)
        if problem:
            raise LoadError("credits.csv", line, *problem)
    return [values for _, values in rows]


def _repayments(directory: Path, credit_ids: set[int], categories: dict[int, Category]) -> list[tuple]:
    rows = _unique("payments.csv", list(read_rows(directory, "payments.csv")), {"id": 0})
    known = _known(credit_ids, Credit, {values[1] for _, values in rows})
    types = {number: category.code for number, category in categories.items()
             if category.code in (CategoryCode.BODY, CategoryCode.INTEREST)}
    result = []
    for line, (number, credit, paid_on, type_id, amount) in rows:
        problem = (("credit_id", f"no credit {credit}") if credit not in known else
                   ("type_id", f"{type_id} is not the body or interest category") if type_id not in types else
                   ("sum", "must be more than 0") if amount <= 0 else None)
        if problem:
            raise LoadError("payments.csv", line, *problem)
        result.append((number, credit, paid_on, types[type_id], amount))
    return result


def _plans(directory: Path, categories: dict[int, Category], currency: str) -> list[tuple]:
    now, result, seen = timezone.now(), [], set()
    for line, (month, amount, category) in read_rows(directory, "plans.csv"):
        if (month, category) in seen:
            raise LoadError("plans.csv", line, "period", "a second plan for this month and category")
        seen.add((month, category))
        problem = (("period", "not the first day of a month") if month.day != 1 else
                   ("sum", "must not be negative") if amount < 0 else
                   ("category_id", f"no category {category} in dictionary.csv") if category not in categories
                   else None)
        if problem:
            raise LoadError("plans.csv", line, *problem)
        result.append((month, categories[category].id, "", amount, currency, now))
    return result


def _cents(field: str):
    # ROUND first: SQLite holds decimals as floats, and 1000.5 * 100 need not be 100050 exactly.
    return Sum(Cast(Round(F(field) * 100), output_field=BigIntegerField()))


def loan_days_rebuild() -> None:
    """The daily totals of the whole book again, from credits and repayments (a few statements that
    each read one table once; the result is one row per day and kind). Run inside the load's
    transaction, so an updated credit or repayment moves its totals too."""
    issued = Credit.objects.values("issued_on").annotate(n=Count("id"), cents=_cents("body")).order_by()
    repaid = Repayment.objects.values("paid_on", "type").annotate(n=Count("id"), cents=_cents("amount")).order_by()
    LoanDay.objects.all().delete()
    LoanDay.objects.bulk_create(
        [LoanDay(day=row["issued_on"], kind=LoanDayKind.ISSUANCE, count=row["n"], amount_e2=row["cents"])
         for row in issued]
        + [LoanDay(day=row["paid_on"], kind=row["type"], count=row["n"], amount_e2=row["cents"]) for row in repaid],
        batch_size=2_000)
