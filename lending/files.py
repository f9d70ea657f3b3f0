"""The original system's exports (SPEC 12): five tab-separated files with a header, dates as
``dd.mm.yyyy``, lines ending in CRLF or LF. One declaration per file: its columns and their kinds.

Parsing is pure (no ORM): a row that breaks a rule raises ``LoadError`` naming file, line, column.
"""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from common.errors import ApplicationError, ErrorCode

# File name → its columns, in order, and each column's kind.
FILES = {
    "dictionary.csv": (("id", "int"), ("name", "text")),
    "users.csv": (("id", "int"), ("login", "text"), ("registration_date", "date")),
    "credits.csv": (("id", "int"), ("user_id", "int"), ("issuance_date", "date"), ("return_date", "date"),
                    ("actual_return_date", "date?"), ("body", "money"), ("percent", "money")),
    "payments.csv": (("id", "int"), ("credit_id", "int"), ("payment_date", "date"), ("type_id", "int"),
                     ("sum", "money")),
    "plans.csv": (("period", "date"), ("sum", "money"), ("category_id", "int")),
}
# Loaded in this order: each file refers only to those before it.
ORDER = ("dictionary.csv", "users.csv", "credits.csv", "payments.csv", "plans.csv")

_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
# The models' precision: 16 digits before the point, 2 after.
_MONEY = re.compile(r"^-?\d{1,16}(\.\d{1,2})?$")
_INT = re.compile(r"^\d{1,18}$")


class LoadError(ApplicationError):
    """A row of an export breaks a rule: nothing of the load is written."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, file: str, line: int | None, column: str | None, problem: str):
        where = file + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}", details={"file": file, "line": line, "column": column,
                                                          "problem": problem})


def read_rows(directory: Path, name: str) -> Iterator[tuple[int, tuple]]:
    """(line number, parsed values) for each data row of ``name``; the header must name the columns."""
    path = directory / name
    if not path.is_file():
        raise LoadError(name, None, None, f"missing: no {name} in {directory}")
    columns = FILES[name]
    converters = [_CONVERTERS[kind] for _, kind in columns]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
        expected = [column for column, _ in columns]
        if header != expected:
            raise LoadError(name, 1, None, f"header should be {' '.join(expected)!r}, got {' '.join(header)!r}")
        for number, text in enumerate(handle, start=2):
            values = text.rstrip("\r\n").split("\t")
            if len(values) != len(columns):
                raise LoadError(name, number, None, f"expected {len(columns)} tab-separated values, got {len(values)}")
            try:
                yield number, tuple([convert(raw) for convert, raw in zip(converters, values, strict=True)])
            except ValueError:
                # The slow path names the column and what was wrong (it raises LoadError).
                yield number, tuple(_parse(name, number, column, kind, raw)
                                    for (column, kind), raw in zip(columns, values, strict=True))


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError
    return raw.strip()


def _int(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise ValueError
    return int(raw)


def _money(raw: str) -> Decimal:
    if not _MONEY.match(raw):
        raise ValueError
    return Decimal(raw)


def _date(raw: str) -> date:
    # dd.mm.yyyy by position: a regex per value costs more than the whole conversion.
    if not (len(raw) == 10 and raw[2] == raw[5] == "." and raw.isascii() and (raw[:2] + raw[3:5] + raw[6:]).isdigit()):
        raise ValueError
    return date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))


def _optional_date(raw: str) -> date | None:
    return None if raw == "" else _date(raw)


# The fast converters of each kind: any ValueError sends the row to ``_parse``, which says what is wrong.
_CONVERTERS = {"text": _text, "int": _int, "money": _money, "date": _date, "date?": _optional_date}


def _parse(name: str, number: int, column: str, kind: str, raw: str):
    if kind == "text":
        if not raw.strip():
            raise LoadError(name, number, column, "empty")
        return raw.strip()
    if kind == "int":
        if not _INT.match(raw):
            raise LoadError(name, number, column, f"expected a whole number, got {raw!r}")
        return int(raw)
    if kind == "money":
        if not _MONEY.match(raw):
            raise LoadError(name, number, column, f"expected an amount such as 1500.00, got {raw!r}")
        return Decimal(raw)
    if kind == "date?" and raw == "":
        return None
    match = _DATE.match(raw)
    try:
        return date(int(match[3]), int(match[2]), int(match[1])) if match else _no_date()
    except ValueError:
        raise LoadError(name, number, column, f"expected a date as dd.mm.yyyy, got {raw!r}") from None


def _no_date():
    raise ValueError
