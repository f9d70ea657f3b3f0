"""What each kind of accounting export holds: its columns, their Russian headers and synonyms (SPEC 13).

A column is found by its header: the canonical name, or a synonym, compared after folding case,
``ё`` and punctuation. Pure data and pure functions; no I/O.
"""

import re
from dataclasses import dataclass

from credit_portfolio.choices import FileKind

TEXT, DATE, MONEY, FLAG = "text", "date", "money", "flag"


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the canonical header of SPEC 13
    type: str
    required: bool = True
    synonyms: tuple[str, ...] = ()


RECEIPT_COLUMNS = (
    Column("document", "Поступление на расчетный счет", TEXT, synonyms=("Документ поступления", "Документ")),
    Column("organization", "Организация", TEXT, required=False, synonyms=("Наименование организации",)),
    Column("bank_account", "Банковский счет", TEXT, synonyms=("Счет организации", "Расчетный счет")),
    Column("payer", "Плательщик", TEXT, required=False, synonyms=("Контрагент", "Кредитор")),
    Column("contract", "Договор", TEXT, synonyms=("Договор контрагента", "Кредитный договор")),
    Column("contract_date", "Дата договора", DATE, required=False),
    Column("currency", "Валюта", TEXT, required=False, synonyms=("Валюта документа",)),
    Column("amount", "Сумма", MONEY, synonyms=("Сумма документа", "Сумма поступления")),
    Column("fee", "Комиссия", MONEY, required=False, synonyms=("Сумма комиссии",)),
    Column("purpose", "Назначение платежа", TEXT, required=False, synonyms=("Назначение",)),
    Column("date", "Дата входящего документа", DATE, synonyms=("Вх. дата", "Дата поступления", "Дата")),
)
EXPENSE_COLUMNS = (
    Column("document", "Списание с расчетного счета", TEXT, synonyms=("Документ списания", "Документ")),
    Column("organization", "Организация", TEXT, required=False, synonyms=("Наименование организации",)),
    Column("bank_account", "Банковский счет", TEXT, synonyms=("Счет организации", "Расчетный счет")),
    Column("recipient", "Получатель", TEXT, required=False, synonyms=("Контрагент",)),
    Column("contract", "Договор", TEXT, synonyms=("Договор контрагента", "Кредитный договор")),
    Column("currency", "Валюта", TEXT, required=False, synonyms=("Валюта документа",)),
    Column("amount", "Сумма", MONEY, synonyms=("Сумма документа", "Сумма списания")),
    Column("expense_item", "Статья расходов", TEXT, required=False, synonyms=("Статья движения денежных средств",)),
    Column("date", "Вх. дата", DATE, synonyms=("Дата входящего документа", "Дата списания", "Дата")),
    Column("unconfirmed", "Не подтверждено выпиской банка", FLAG, required=False,
           synonyms=("Не подтверждено выпиской",)),
)
DETAIL_COLUMNS = (
    Column("expense_document", "Списание с расчетного счета", TEXT, synonyms=("Документ списания", "Документ")),
    Column("contract", "Договор", TEXT, required=False, synonyms=("Договор контрагента", "Кредитный договор")),
    Column("payment_kind", "Вид платежа по кредитам займам", TEXT,
           synonyms=("Вид платежа по кредитам и займам", "Вид платежа")),
    Column("amount", "Сумма платежа", MONEY, synonyms=("Сумма",)),
    Column("vat", "Сумма НДС", MONEY, required=False, synonyms=("НДС",)),
)
COLUMNS = {FileKind.RECEIPTS: RECEIPT_COLUMNS, FileKind.EXPENSES: EXPENSE_COLUMNS, FileKind.DETAILS: DETAIL_COLUMNS}

# How sure a mapping is: the canonical header, a listed synonym, or a header that contains one of them.
EXACT, SYNONYM, CONTAINS = 1.0, 0.9, 0.6
# Below this a header is not taken as the column (it is reported as unmatched instead).
MIN_CONFIDENCE = 0.6

_NOT_WORD = re.compile(r"[^\w]+")


def fold(text) -> str:
    """A header as compared: lower case, ё as е, punctuation and runs of spaces as one space."""
    return _NOT_WORD.sub(" ", str(text or "").lower().replace("ё", "е")).strip()


def match_confidence(header, column: Column) -> float:
    """How surely ``header`` names ``column`` (0 when it does not)."""
    folded = fold(header)
    if not folded:
        return 0.0
    if folded == fold(column.header):
        return EXACT
    names = [fold(column.header), *(fold(s) for s in column.synonyms)]
    if folded in names:
        return SYNONYM
    if any(len(name) >= 5 and f" {name} " in f" {folded} " for name in names):
        return CONTAINS
    return 0.0


# Kinds by file name (SPEC 13): translit or Cyrillic, details first ("Spisanie(rasshifrovka)" also says spisanie).
_KIND_WORDS = (
    (FileKind.DETAILS, ("rasshifrovka", "расшифровка")),
    (FileKind.RECEIPTS, ("postuplenie", "поступление")),
    (FileKind.EXPENSES, ("spisanie", "списание")),
)
EXTENSIONS = (".xlsx", ".xls", ".xlsb")


def kind_from_name(name: str) -> str | None:
    lowered = name.lower()
    for kind, words in _KIND_WORDS:
        if any(word in lowered for word in words):
            return kind
    return None


def organization_from_name(name: str) -> str:
    """``"ООО Альфа - Postuplenie(kredity) XLSX.xlsx"`` → ``"ООО Альфа"`` (the part before " - ")."""
    base = name.rsplit("/", 1)[-1]
    return base.split(" - ", 1)[0].strip() if " - " in base else ""
