"""One reader for the accounting exports in XLSX, XLS and XLSB (python-calamine), whatever their header quirks.

The header row is found among the first rows (a title may sit above it), each column is mapped by
its header's synonyms with a confidence, and a layout without the required columns is refused with
the columns found and expected, never guessed. Rows are yielded one at a time as calamine hands
them over; the trailing ``Итого`` row and empty rows are skipped. Values stay raw here: typing
them (money, dates) is ``parse_money`` / ``parse_date``.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from python_calamine import CalamineWorkbook

from common.errors import ApplicationError, ErrorCode
from credit_portfolio.columns import COLUMNS, EXTENSIONS, MIN_CONFIDENCE, Column, kind_from_name, match_confidence

# Rows searched for the header: titles and a period line rarely take more than a few.
HEADER_SEARCH_ROWS = 30
TOTAL_WORDS = ("итого", "всего")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container: XLS, or an encrypted XLSX/XLSB


class ExportError(ApplicationError):
    """A file that cannot be read as an export: the message names the file and what was wrong."""

    default_code = ErrorCode.VALIDATION_ERROR


@dataclass(frozen=True)
class Mapped:
    field: str
    header: str
    index: int
    confidence: float


@dataclass
class Sheet:
    """An export's layout as found, and its data rows (``rows()``: (row number, {field: raw value}))."""

    name: str
    kind: str
    header_row: int  # 1-based, as a spreadsheet shows it
    columns: list[Mapped]
    unmatched: list[str]
    _rows: Iterator[list]

    def rows(self) -> Iterator[tuple[int, dict]]:
        fields = [m.field for m in self.columns]
        picked = [m.index for m in self.columns]
        width = max(picked) + 1
        number = self.header_row
        for cells in self._rows:
            number += 1
            if len(cells) < width:  # calamine gives every row the sheet's width; a short one is padded here
                cells = [*cells, *([None] * (width - len(cells)))]
            values = [cells[i] for i in picked]
            values = [v.strip() if type(v) is str else v for v in values]
            if values.count(None) + values.count("") == len(values):  # an empty row (0 and False are values)
                continue
            first = next((c for c in cells if c is not None and c != ""), "")
            if type(first) is str and first.strip().lower().startswith(TOTAL_WORDS):
                continue
            yield number, dict(zip(fields, values, strict=True))


def open_export(name: str, content: bytes | None = None, *, path: str | None = None) -> Sheet:
    """The first sheet of the export ``name`` (its bytes, or a file ``path``), its header found and mapped."""
    kind = kind_from_name(name)
    if kind is None or not name.lower().endswith(EXTENSIONS):
        raise ExportError(f"{name}: unknown kind of file (expected a name with postuplenie, spisanie or "
                          f"rasshifrovka and one of {', '.join(EXTENSIONS)})", details={"file": name})
    sheet_rows = _sheet_rows(name, content, path)
    head = []
    for cells in sheet_rows:
        head.append(cells)
        found = _match_header(cells, COLUMNS[kind])
        if found is not None:
            mapped, unmatched = found
            return Sheet(name, kind, len(head), mapped, unmatched, sheet_rows)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    raise _layout_error(name, kind, head)


def _sheet_rows(name: str, content: bytes | None, path: str | None) -> Iterator[list]:
    start = content[:8] if content is not None else open(path, "rb").read(8)
    try:
        workbook = CalamineWorkbook.from_path(path) if path else CalamineWorkbook.from_filelike(_bytes_io(content))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        message = str(exc)
        if "password" in message.lower() or "encrypt" in message.lower() or (
                start == _CFB_MAGIC and not name.lower().endswith(".xls")):
            raise ExportError(f"{name}: the workbook is password-protected; export it without a password",
                              details={"file": name}) from exc
        raise ExportError(f"{name}: not a readable workbook ({message})", details={"file": name}) from exc
    return iter(sheet.iter_rows())


def _bytes_io(content: bytes):
    import io

    return io.BytesIO(content)


def _match_header(cells: list, columns: tuple[Column, ...]) -> tuple[list[Mapped], list[str]] | None:
    """The mapping if this row names every required column, else None. Each header goes to its best column."""
    mapped: dict[str, Mapped] = {}
    for index, header in enumerate(cells):
        scored = [(match_confidence(header, column), column) for column in columns]
        confidence, column = max(scored, key=lambda pair: pair[0])
        better = column.field not in mapped or mapped[column.field].confidence < confidence
        if confidence >= MIN_CONFIDENCE and better:
            mapped[column.field] = Mapped(column.field, str(header).strip(), index, confidence)
    if not all(column.field in mapped for column in columns if column.required):
        return None
    taken = {m.index for m in mapped.values()}
    unmatched = [str(h).strip() for i, h in enumerate(cells) if i not in taken and h not in (None, "")]
    return sorted(mapped.values(), key=lambda m: m.index), unmatched


def _layout_error(name: str, kind: str, head: list[list]) -> ExportError:
    best = max(head, key=lambda cells: sum(1 for c in cells if c not in (None, "")), default=[])
    found = [str(c).strip() for c in best if c not in (None, "")]
    expected = [c.header for c in COLUMNS[kind] if c.required]
    return ExportError(
        f"{name}: unknown layout for {kind}: no row among the first {HEADER_SEARCH_ROWS} names the columns "
        f"{', '.join(expected)} (the fullest row has: {', '.join(found) or 'nothing'})",
        details={"file": name, "kind": kind, "columns_found": found, "columns_expected": expected})


_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s|$)")  # a time may follow
CENT = Decimal("0.01")


def parse_money(value) -> Decimal | None:
    """A number cell or text like ``1 234 567,89`` → Decimal in cents; None when empty; ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected an amount, found {value!r}")
    if isinstance(value, int | float):
        # The file stores a double; its shortest repr is the amount as typed (1234.56, not 1234.5599…).
        return Decimal(repr(float(value))).quantize(CENT)
    text = _SPACES.sub("", str(value)).replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"expected an amount, found {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"expected an amount, found {value!r}")
    return amount.quantize(CENT)


def parse_date(value) -> date | None:
    """An Excel date cell or ``dd.mm.yyyy`` text (a time after it is ignored) → date; None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _DAY.match(str(value).strip())
    try:
        # By hand, not strptime: ten times faster, and a 100,000-row file has a date on every row.
        return date(int(found[3]), int(found[2]), int(found[1]))
    except (TypeError, ValueError):  # no match (None[...] is a TypeError), or no such day
        raise ValueError(f"expected a date dd.mm.yyyy, found {value!r}") from None
