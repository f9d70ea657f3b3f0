"""The one rule for a plan file, shared by the API and the admin: every problem, each naming row and column.

A file has the columns ``month, category_name, sum`` (and optionally ``project`` and ``currency``,
which otherwise come from the request). Checked: a missing or unknown column, an empty or
non-numeric sum, a month that is not a first day, an unknown category, a plan that already exists,
the same plan twice in the file. Reads categories and existing plans (two queries), writes nothing.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from planning.models import Category, Plan
from planning.plan_files import Problem, Table

REQUIRED = ("month", "category_name", "sum")
OPTIONAL = ("project", "currency")
PROJECT_MAX = Plan._meta.get_field("project").max_length
# The model's precision: 16 digits before the point, 2 after.
_INTEGER_DIGITS, _PLACES = 16, 2
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DMY = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class PlanRow:
    """One plan of the file, checked."""

    row: int
    month: date
    category: Category
    project: str
    amount: Decimal
    currency: str

    @property
    def key(self) -> tuple:
        return (self.month, self.category.pk, self.project)

    def as_dict(self) -> dict:
        return {"row": self.row, "month": self.month, "category": self.category.code,
                "category_name": self.category.name, "project": self.project or None, "amount": self.amount,
                "currency": self.currency}


@dataclass(frozen=True)
class PlanCheck:
    plans: list[PlanRow]
    problems: list[Problem]


def plans_check(*, table: Table, project: str, currency: str, allowed: frozenset[str] | None = None) -> PlanCheck:
    """The plans of ``table`` and every problem of it (``project`` and ``currency`` fill empty or missing
    columns; ``allowed``, when not None, the only projects the caller may plan). The plans are only to be
    written when there is no problem at all."""
    problems = list(table.problems)
    if not table.headers:
        return PlanCheck(plans=[], problems=problems)  # the file could not be read at all
    columns = _columns(table.headers, problems)
    categories = _categories()
    plans = []
    for number, cells in table.rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue  # a blank line carries no plan
        plan = _row(number, {name: cells[index] for name, index in columns.items()}, categories,
                    project, currency, problems)
        if plan is not None:
            plans.append(plan)
    problems += _outside(plans, allowed) + _repeated(plans) + _existing(plans)
    problems.sort(key=lambda p: (p.row or 0, _column_order(p.column)))
    return PlanCheck(plans=plans, problems=problems)


def _columns(headers: list[str], problems: list[Problem]) -> dict[str, int]:
    """Column name → index; a missing required column, an unknown or a repeated one is a problem of row 1."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header.strip().lower()
        if name not in REQUIRED + OPTIONAL:
            problems.append(Problem(1, header or f"#{index + 1}", "unknown column; expected "
                                    f"{', '.join(REQUIRED)} (and optionally {', '.join(OPTIONAL)})"))
        elif name in found:
            problems.append(Problem(1, name, "the column appears twice"))
        else:
            found[name] = index
    problems += [Problem(1, name, "missing column") for name in REQUIRED if name not in found]
    return found


def _categories() -> dict[str, Category]:
    """Categories by name and by code, case aside."""
    found = {}
    for category in Category.objects.all():
        found[category.code.casefold()] = category
        found[category.name.casefold()] = category
    return found


def _row(number: int, values: dict, categories: dict, project: str, currency: str,
         problems: list[Problem]) -> PlanRow | None:
    found = {}
    for name, parse in (("month", _month), ("sum", _amount), ("project", _project), ("currency", _currency)):
        if name not in values:
            continue
        try:
            found[name] = parse(values[name])
        except ValueError as error:
            problems.append(Problem(number, name, str(error)))
    if "category_name" in values:
        name = _text(values["category_name"])
        if name.casefold() in categories:
            found["category_name"] = categories[name.casefold()]
        else:
            problems.append(Problem(number, "category_name", f"unknown category {name!r}; known: "
                                    f"{', '.join(sorted({c.name for c in categories.values()}))}"
                                    if name else "empty"))
    if any(name not in found for name in REQUIRED):
        return None
    return PlanRow(row=number, month=found["month"], category=found["category_name"],
                   project=found.get("project") or project, amount=found["sum"],
                   currency=found.get("currency") or currency)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _month(value) -> date:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = _text(value)
        if not text:
            raise ValueError("empty")
        day = _date(text)
    if day.day != 1:
        raise ValueError(f"{day.isoformat()} is not the first day of a month")
    return day


def _date(text: str) -> date:
    iso, dmy = _ISO.match(text), _DMY.match(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        pass
    raise ValueError(f"expected a date as YYYY-MM-DD or dd.mm.yyyy, got {text!r}")


def _amount(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected an amount such as 1500.00, got {value!r}")
    if isinstance(value, int | float):
        # A spreadsheet's number: its shortest decimal text is the number as typed (1500.1, not 1500.0999…).
        text = repr(value)
    else:
        text = _text(value).replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValueError("empty")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a decimal comma
    if not _NUMBER.match(text):
        raise ValueError(f"expected an amount such as 1500.00, got {_text(value)!r}")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"expected an amount such as 1500.00, got {_text(value)!r}") from None
    if amount < 0:
        raise ValueError(f"must not be negative, got {text}")
    if amount != amount.quantize(Decimal(1).scaleb(-_PLACES)):
        raise ValueError(f"more than {_PLACES} decimal places: {text}")
    if amount >= Decimal(10) ** _INTEGER_DIGITS:
        raise ValueError(f"more than {_INTEGER_DIGITS} digits before the point: {text}")
    return amount.quantize(Decimal(1).scaleb(-_PLACES))


def _project(value) -> str:
    text = _text(value)
    if len(text) > PROJECT_MAX:
        raise ValueError(f"at most {PROJECT_MAX} characters")
    return text


def _currency(value) -> str:
    text = _text(value)
    if text and not _CURRENCY.match(text):
        raise ValueError(f"expected an ISO 4217 code such as UAH, got {text!r}")
    return text


def _outside(plans: list[PlanRow], allowed: frozenset[str] | None) -> list[Problem]:
    if allowed is None:
        return []
    return [Problem(plan.row, "project", f"this token is limited to the projects {', '.join(sorted(allowed))}; "
                                         f"{'project ' + repr(plan.project) if plan.project else 'no project'} is not "
                                         "one of them") for plan in plans if plan.project not in allowed]


def _repeated(plans: list[PlanRow]) -> list[Problem]:
    first: dict[tuple, int] = {}
    problems = []
    for plan in plans:
        if plan.key in first:
            problems.append(Problem(plan.row, "month", f"the same plan as row {first[plan.key]} "
                                                       f"({_describe(plan)})"))
        else:
            first[plan.key] = plan.row
    return problems


def _existing(plans: list[PlanRow]) -> list[Problem]:
    """Plans of the file already stored, found with one query."""
    if not plans:
        return []
    stored = set(Plan.objects.filter(month__in={p.month for p in plans}, category__in={p.category for p in plans},
                                     project__in={p.project for p in plans})
                 .values_list("month", "category_id", "project"))
    return [Problem(plan.row, "month", f"a plan for {_describe(plan)} already exists") for plan in plans
            if plan.key in stored]


def _describe(plan: PlanRow) -> str:
    return f"{plan.month:%Y-%m}, {plan.category.name}, {'project ' + plan.project if plan.project else 'no project'}"


def _column_order(column: str | None) -> int:
    order = REQUIRED + OPTIONAL
    return order.index(column) if column in order else len(order)
