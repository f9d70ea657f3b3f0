"""A plan file as a table: CSV, TSV or XLSX in, a header and numbered rows of raw cells out.

Pure (no ORM). Rows are numbered as a spreadsheet shows them (the header is row 1), so every
problem found later can name the row a person sees. A file that cannot be read at all is one
problem of the file as a whole, never an exception that would answer 500.
"""

import csv
import io
from dataclasses import dataclass, field

from openpyxl import load_workbook

KINDS = {"csv": ",", "tsv": "\t", "xlsx": None}


@dataclass(frozen=True)
class Problem:
    """What is wrong with a plan file: ``row`` as a spreadsheet numbers it (1 = header; None: the whole
    file) and ``column`` by its header (None: the whole row)."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self):
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "",
                                             f"column {self.column}" if self.column else "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Table:
    """The header's cells and each data row's cells by row number; ``problems`` when it could not be read."""

    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def kind_of(name: str) -> str | None:
    """``csv``, ``tsv`` or ``xlsx`` from the file's name; None for anything else."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in KINDS else None


def table_from_bytes(*, name: str, content: bytes) -> Table:
    kind = kind_of(name)
    if kind is None:
        return Table(problems=[Problem(None, None, f"{name!r} is not a .csv, .tsv or .xlsx file")])
    if kind == "xlsx":
        return _xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Table(problems=[Problem(None, None, f"not UTF-8 text (byte {error.start} cannot be read)")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=KINDS[kind])
    try:
        return table_from_lines(list(reader))
    except csv.Error as error:  # a cell past the csv module's size limit, an unclosed quote in strict mode…
        return Table(problems=[Problem(reader.line_num or None, None, f"not readable as {kind.upper()}: {error}")])


def table_from_lines(lines: list[list]) -> Table:
    """A table from the file's lines (the first is the header); lines of more cells than the header are problems."""
    headers = [str(cell if cell is not None else "").strip() for cell in lines[0]] if lines else []
    while headers and not headers[-1]:  # a spreadsheet's trailing empty header cells
        headers.pop()
    if not headers:
        return Table(problems=[Problem(None, None, "no header row: the first line is empty")])
    table = Table(headers=headers)
    for number, cells in enumerate(lines[1:], start=2):
        cells = list(cells)
        extra = [cell for cell in cells[len(headers):] if cell not in (None, "")]
        if extra:
            table.problems.append(Problem(number, None, f"{len(cells)} cells in a file of {len(headers)} columns"))
        table.rows.append((number, cells[:len(headers)] + [None] * (len(headers) - len(cells))))
    return table


def _xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        lines = [list(row) for row in workbook.active.iter_rows(values_only=True)]
        workbook.close()
    except Exception:  # noqa: BLE001 — any failure to open an uploaded workbook means "not a readable XLSX"
        return Table(problems=[Problem(None, None, "not a readable XLSX workbook")])
    return table_from_lines(lines)
