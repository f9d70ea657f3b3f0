"""Pure mapping of one export row (as the source reads it) to a row the credit portfolio's sink stores.

A record is ``{"file": {...}, "row": n, "values": {field: raw cell}}`` (details add ``"line"``), or a
file's outcome ``{"file": {...}, "event": "imported" | "skipped" | "failed", ...}`` that closes the
file's import log. A value that cannot be typed is a ``ValueError`` naming the file, the row, the
column as the file heads it, what was expected and what was found: the runner quarantines the record.
No I/O, no ORM.
"""

import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from credit_portfolio.choices import FileKind, PaymentKind
from credit_portfolio.columns import fold
from credit_portfolio.reader import parse_date, parse_money


@dataclass(frozen=True)
class FileRef:
    """The file a row came from, as the import log records it."""

    import_id: str
    name: str
    kind: str
    organization: str
    size: int
    modified_at: str  # ISO 8601 UTC
    content_hash: str
    header_row: int = 0
    columns: dict = field(default_factory=dict, compare=False)  # field → {"header", "confidence"}


# The three row types are named tuples, not dataclasses: a page of them crosses from the reader process to
# the writer pickled, and a tuple pickles as its values alone (a dataclass as a dict of its field names
# too), which took a 100,000-row file from ~41 MB to ~15 MB of pickles and halved their unpickling.
class ReceiptRow(NamedTuple):
    """A receipt of loan money as its file gives it (names, not ids: the sink resolves them)."""

    file: FileRef
    row: int
    organization: str
    document: str
    date: date
    contract: str
    contract_date: date | None
    bank_account: str
    bank: str
    payer: str
    currency: str
    amount: Decimal
    fee: Decimal | None
    purpose: str


class ExpenseRow(NamedTuple):
    """A repayment as its file gives it."""

    file: FileRef
    row: int
    organization: str
    document: str
    date: date
    contract: str
    bank_account: str
    bank: str
    recipient: str
    currency: str
    amount: Decimal
    expense_item: str
    unconfirmed: bool


class DetailRow(NamedTuple):
    """One principal or interest line of a repayment, named by the repayment's document."""

    file: FileRef
    row: int
    organization: str
    expense_document: str
    contract: str
    payment_kind: str
    amount: Decimal
    line: int
    vat: Decimal | None


@dataclass(frozen=True)
class FileOutcome:
    """How reading a file ended: imported (``rows_read`` data rows), skipped (same content) or failed."""

    file: FileRef
    status: str
    rows_read: int = 0
    error: str = ""
    details: dict = field(default_factory=dict, compare=False)


def normalize_record(raw: dict, context: dict | None = None):
    """One record → ``ReceiptRow`` / ``ExpenseRow`` / ``DetailRow`` / ``FileOutcome``; ValueError when bad.

    A refused record's cells are made JSON in place (dates as ``dd.mm.yyyy`` text): the quarantine keeps the
    record it was given, and a retry reads those cells again. Records are read with calamine's types
    otherwise, so that a date cell is not written out as text only to be parsed back.
    """
    try:
        return _normalized(raw)
    except ValueError:
        if isinstance(raw.get("values"), dict):
            raw["values"] = {name: json_cell(value) for name, value in raw["values"].items()}
        raise


def _normalized(raw: dict):
    file = _file_ref(raw["file"])
    if "event" in raw:
        return FileOutcome(file, raw["event"], raw.get("rows_read", 0), raw.get("error", ""), raw.get("details", {}))
    cells = _Cells(file, raw["row"], raw["values"])
    return {FileKind.RECEIPTS: _receipt, FileKind.EXPENSES: _expense, FileKind.DETAILS: _detail}[file.kind](
        cells, raw)


# The files of the records being normalized (a run reads one file at a time): one FileRef per file,
# not one per row. Keyed by the file's import id, which is unique to one reading of one file.
_FILE_REFS: dict[str, FileRef] = {}
FILE_REFS_KEPT = 4


def _file_ref(facts: dict) -> FileRef:
    ref = _FILE_REFS.get(facts["import_id"])
    if ref is None or ref.header_row != facts.get("header_row", 0):
        if len(_FILE_REFS) >= FILE_REFS_KEPT:
            _FILE_REFS.clear()
        ref = _FILE_REFS[facts["import_id"]] = FileRef(**facts)
    return ref


def record_id(raw) -> str:
    """``<file>#<row>`` for the quarantine (the file's own end record: ``<file>#end``)."""
    if not isinstance(raw, dict):
        return ""
    return f"{(raw.get('file') or {}).get('name', '')}#{raw.get('row', 'end')}"


class _Cells:
    """A row's raw values, typed on demand with errors that name the file, row and column."""

    def __init__(self, file: FileRef, row: int, values: dict):
        self.file, self.row, self.values = file, row, values

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.values.get(name)
        if type(value) is str and value:  # nearly every text cell, stripped by the reader already
            return value
        text = "" if value is None else (f"{value:.0f}" if isinstance(value, float) and value.is_integer()
                                         else str(value)).strip()
        if required and not text:
            raise self.error(name, "a value", value)
        return text

    def money(self, name: str, *, required: bool = False) -> Decimal | None:
        amount = self._typed(name, parse_money)
        if required and (amount is None or amount <= 0):
            raise self.error(name, "a positive amount", self.values.get(name))
        return amount

    def date(self, name: str, *, required: bool = False) -> date | None:
        day = self._typed(name, parse_date)
        if required and day is None:
            raise self.error(name, "a date dd.mm.yyyy", self.values.get(name))
        return day

    def _typed(self, name: str, parse):
        try:
            return parse(self.values.get(name))
        except ValueError as exc:
            raise ValueError(f"{self._where(name)}: {exc}") from None

    def error(self, name: str, expected: str, found) -> ValueError:
        return ValueError(f"{self._where(name)}: expected {expected}, found {found!r}")

    def _where(self, name: str) -> str:
        header = (self.file.columns.get(name) or {}).get("header", name)
        return f"{self.file.name}, row {self.row}, column {header!r}"


def _organization(cells: _Cells) -> str:
    return cells.text("organization") or cells.file.organization or _missing(cells, "organization")


def _missing(cells: _Cells, name: str):
    raise cells.error(name, "an organization (in the column or the file name)", None)


def bank_of(account: str, counterparty: str) -> str:
    """The bank of an account written as ``"<number>, <bank>"``; else the counterparty (the lender)."""
    _, comma, bank = account.rpartition(",")
    return bank.strip() if comma and bank.strip() else counterparty


def _shared(text: str) -> str:
    """One string object per distinct value of a column that repeats down the file (organization, contract,
    bank, counterparty…): pickle sends an object it has seen once per page, and the writer keeps it once."""
    return sys.intern(text)


def _receipt(cells: _Cells, raw: dict) -> ReceiptRow:
    account, payer = _shared(cells.text("bank_account")), _shared(cells.text("payer"))
    return ReceiptRow(
        cells.file, cells.row, _shared(_organization(cells)), cells.text("document", required=True),
        cells.date("date", required=True), _shared(cells.text("contract")), cells.date("contract_date"), account,
        _shared(bank_of(account, payer)), payer, _shared(cells.text("currency") or "RUB"),
        cells.money("amount", required=True), cells.money("fee"), _shared(cells.text("purpose")))


def _expense(cells: _Cells, raw: dict) -> ExpenseRow:
    account, recipient = _shared(cells.text("bank_account")), _shared(cells.text("recipient"))
    return ExpenseRow(
        cells.file, cells.row, _shared(_organization(cells)), cells.text("document", required=True),
        cells.date("date", required=True), _shared(cells.text("contract")), account,
        _shared(bank_of(account, recipient)), recipient, _shared(cells.text("currency") or "RUB"),
        cells.money("amount", required=True), _shared(cells.text("expense_item")),
        flag(cells.values.get("unconfirmed")))


def _detail(cells: _Cells, raw: dict) -> DetailRow:
    return DetailRow(
        cells.file, cells.row, _shared(cells.file.organization or _missing(cells, "organization")),
        cells.text("expense_document", required=True), _shared(cells.text("contract")), _payment_kind(cells),
        cells.money("amount", required=True), int(raw.get("line") or 1), cells.money("vat"))


def payment_kind_of(value) -> str | None:
    """``Погашение долга`` (and its variants) → principal, ``Уплата процентов`` → interest, else None."""
    folded = fold(value)
    if "процент" in folded:
        return PaymentKind.INTEREST
    if "долг" in folded or "основн" in folded or "тело" in folded:
        return PaymentKind.PRINCIPAL
    return None


def _payment_kind(cells: _Cells) -> str:
    kind = payment_kind_of(cells.values.get("payment_kind"))
    if kind is None:
        raise cells.error("payment_kind", "Погашение долга or Уплата процентов", cells.values.get("payment_kind"))
    return kind


_YES = {"да", "yes", "true", "1", "истина", "x"}


def json_cell(value):
    """A cell as JSON keeps it: a date as the ``dd.mm.yyyy`` text the normalizer reads again on a retry."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return str(value)


def flag(value) -> bool:
    """A yes/no cell: ``Да`` / ``1`` / a ticked boolean are yes; empty and anything else no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    return fold(value) in _YES
