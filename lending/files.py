"""The original system's exports (SPEC 12): five tab-separated files with a header, dates as
``dd.mm.yyyy``, lines ending in CRLF or LF. One declaration per file: its columns and their kinds
(checked in SQL by ``lending.rules``). A row that breaks a rule raises ``LoadError`` naming file,
line, column.
"""

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

class LoadError(ApplicationError):
    """A row of an export breaks a rule: nothing of the load is written."""

    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, file: str, line: int | None, column: str | None, problem: str):
        where = file + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}", details={"file": file, "line": line, "column": column,
                                                          "problem": problem})


def stage_table(name: str) -> str:
    """The temporary table a file is staged in (``lending.staging``)."""
    return "lending_stage_" + name.removesuffix(".csv")


def header_check(name: str, header: bytes) -> None:
    """The first line of ``name`` (a BOM aside) must name its columns, in order."""
    expected = [column for column, _ in FILES[name]]
    found = header.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n").decode("utf-8", "replace").split("\t")
    if found != expected:
        raise LoadError(name, 1, None, f"header should be {' '.join(expected)!r}, got {' '.join(found)!r}")


def split_line(name: str, number: int, line: bytes) -> list[str]:
    """The values of one data line, or the ``LoadError`` of a line that is not UTF-8 or has a value too
    many or too few."""
    try:
        values = line.rstrip(b"\n").removesuffix(b"\r").decode("utf-8").split("\t")
    except UnicodeDecodeError:
        raise LoadError(name, number, None, "not UTF-8 text") from None
    if len(values) != len(FILES[name]):
        raise LoadError(name, number, None, f"expected {len(FILES[name])} tab-separated values, got {len(values)}")
    return values
