"""The world's exports as the accounting system writes them: one file per organization and kind.

Each organization exports in its own layout (the header quirks of SPEC 13 and issue 16):
layout 0 is the plain one; layout 1 has a title above the header, synonyms, the columns in
reverse, amounts as text with spaces and a decimal comma, dates as ``dd.mm.yyyy`` text, empty
rows, no optional columns and an ``Итого`` row; layout 2 has a title, another column order, no
``Дата договора`` and an ``Итого`` row.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from credit_portfolio.choices import FileKind
from credit_portfolio.columns import COLUMNS
from credit_portfolio.sandbox.world import ORGANIZATIONS, World

FORMATS = ("xlsx", "xls", "xlsb")
FILE_TITLES = {FileKind.RECEIPTS: "Postuplenie(kredity)", FileKind.EXPENSES: "Spisanie kredity",
               FileKind.DETAILS: "Spisanie(rasshifrovka)"}
_LAYOUT_2_ORDER = {FileKind.RECEIPTS: ("date", "document", "contract", "amount", "organization", "bank_account",
                                       "payer", "currency", "fee", "purpose"),
                   FileKind.EXPENSES: ("date", "document", "amount", "contract", "organization", "bank_account",
                                       "recipient", "currency", "expense_item", "unconfirmed"),
                   FileKind.DETAILS: ("payment_kind", "expense_document", "amount", "contract", "vat")}
EMPTY_ROW_EVERY = 40


def file_name(org: int, kind: str, fmt: str) -> str:
    return f"{ORGANIZATIONS[org]} - {FILE_TITLES[kind]} {fmt.upper()}.{fmt}"


def format_of(org: int, fmt: str) -> str:
    """``mixed``: each organization in another format (so one folder holds all three)."""
    return FORMATS[org % len(FORMATS)] if fmt == "mixed" else fmt


def sheet_rows(world: World, org: int, kind: str) -> Iterator[list]:
    """Every row of one export, title and ``Итого`` included, as cell values (str, Decimal, date or None)."""
    layout = org % 3
    columns = _columns(kind, layout)
    width = len(columns)
    if layout:
        yield _pad([f"{FILE_TITLES[kind]}: {ORGANIZATIONS[org]}"], width)
        if layout == 1:
            yield _pad([f"Период: {world.start:%d.%m.%Y} - ..."], width)
            yield [None] * width
    yield [(column.synonyms[0] if layout == 1 and column.synonyms else column.header) for column in columns]
    total = Decimal("0")
    for n, record in enumerate(_records(world, org, kind)):
        if layout == 1 and n and n % EMPTY_ROW_EVERY == 0:
            yield [None] * width
        total += record["amount"]
        yield [_cell(record.get(column.field), column.type, layout) for column in columns]
    if layout:
        yield ["Итого" if i == 0 else (_cell(total, "money", layout) if c.field == "amount" else None)
               for i, c in enumerate(columns)]


def _columns(kind: str, layout: int):
    columns = COLUMNS[kind]
    if layout == 1:
        return [c for c in reversed(columns) if c.required or c.field in ("organization", "payer", "recipient")]
    if layout == 2:
        by_field = {c.field: c for c in columns}
        return [by_field[name] for name in _LAYOUT_2_ORDER[kind] if name in by_field]
    return list(columns)


def _records(world: World, org: int, kind: str) -> Iterator[dict]:
    name = ORGANIZATIONS[org]
    if kind == FileKind.RECEIPTS:
        for r in world.receipts(org):
            yield {"document": r.document, "organization": name, "bank_account": r.contract.account,
                   "payer": r.contract.bank, "contract": r.contract.name, "contract_date": r.contract.signed,
                   "currency": "RUB", "amount": r.amount, "fee": r.fee,
                   "purpose": f"Поступление кредитных средств по договору {r.contract.name}", "date": r.day}
    elif kind == FileKind.EXPENSES:
        for e in world.expenses(org):
            yield {"document": e.document, "organization": name, "bank_account": e.contract.account,
                   "recipient": e.contract.bank, "contract": e.contract.name, "currency": "RUB", "amount": e.amount,
                   "expense_item": "Погашение кредитов и займов", "date": e.day,
                   "unconfirmed": "Да" if e.unconfirmed else ""}
    else:
        for e in world.expenses(org):
            for line in e.principal_lines:
                yield {"expense_document": e.document, "contract": e.contract.name,
                       "payment_kind": "Погашение долга", "amount": line, "vat": Decimal("0.00")}
            yield {"expense_document": e.document, "contract": e.contract.name,
                   "payment_kind": "Уплата процентов", "amount": e.interest, "vat": Decimal("0.00")}


def _cell(value, type_: str, layout: int):
    if layout == 1 and isinstance(value, Decimal):
        whole, cents = f"{value:.2f}".split(".")
        return f"{int(whole):,}".replace(",", " ") + "," + cents
    if layout == 1 and isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return value if value != "" else None


def _pad(row: list, width: int) -> list:
    return row + [None] * (width - len(row))


def write_file(path: Path, rows: Iterator[list], fmt: str) -> None:
    """Write ``rows`` into one sheet of a workbook in ``fmt``."""
    {"xlsx": _write_xlsx, "xls": _write_xls, "xlsb": _write_xlsb}[fmt](path, rows)


def _write_xlsx(path: Path, rows) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("TDSheet")
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def _write_xls(path: Path, rows) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("TDSheet")
    day_style = xlwt.easyxf(num_format_str="dd.mm.yyyy")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write(r, c, value, day_style)
            elif isinstance(value, Decimal):
                # The file format stores numbers as doubles; the reader rounds them back to cents.
                sheet.write(r, c, float(value))
            else:
                sheet.write(r, c, value)
    workbook.save(str(path))


def _write_xlsb(path: Path, rows) -> None:
    from pyxlsbwriter import XlsbWriter

    with XlsbWriter(str(path)) as workbook:
        workbook.add_sheet("TDSheet")
        workbook.write_sheet(rows)  # streamed: the writer takes an iterator of equal-width rows
