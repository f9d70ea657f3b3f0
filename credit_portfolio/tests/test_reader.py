"""The reader over real XLSX, XLS and XLSB exports fetched from the FTP sandbox over loopback."""

import ftplib
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from credit_portfolio.choices import FileKind
from credit_portfolio.reader import ExportError, open_export, parse_date, parse_money
from credit_portfolio.sandbox.files import FORMATS
from credit_portfolio.sandbox.server import FtpSandbox, publish
from credit_portfolio.sandbox.truth import world_truth
from credit_portfolio.sandbox.world import World

WORLD = World(seed=7, size=240)


@pytest.fixture
def ftp_sandbox():
    sandbox = FtpSandbox().start()
    yield sandbox
    sandbox.stop()


def _fetch_all(sandbox) -> dict[str, bytes]:
    """Every file of the sandbox's folder, over FTP with its login."""
    ftp = ftplib.FTP()
    ftp.connect(sandbox.host, sandbox.port, timeout=10)
    ftp.login(sandbox.user, sandbox.password)
    files = {}
    for name, facts in ftp.mlsd(facts=["type"]):
        if facts["type"] == "file":
            buffer = io.BytesIO()
            ftp.retrbinary(f"RETR {name}", buffer.write)
            files[name] = buffer.getvalue()
    ftp.quit()
    return files


def _read(files: dict[str, bytes]) -> dict:
    """Per kind, the typed rows of every file, keyed by organization and document (the import's identity)."""
    rows = defaultdict(dict)
    for name, content in files.items():
        sheet = open_export(name, content)
        for number, values in sheet.rows():
            key = (name.split(" - ")[0], values.get("document") or values.get("expense_document"), number
                   if sheet.kind == FileKind.DETAILS else 0)
            rows[sheet.kind][key] = (parse_money(values["amount"]), values.get("date") and parse_date(values["date"]),
                                     values.get("payment_kind"))
    return rows


def test_the_login_is_required(ftp_sandbox):
    ftp = ftplib.FTP()
    ftp.connect(ftp_sandbox.host, ftp_sandbox.port, timeout=10)
    with pytest.raises(ftplib.error_perm, match="530"):
        ftp.login(ftp_sandbox.user, "wrong-password")
    ftp.close()


def test_every_layout_in_mixed_formats_reads_to_the_truth(ftp_sandbox):
    publish(WORLD, ftp_sandbox.root, fmt="mixed")
    rows = _read(_fetch_all(ftp_sandbox))
    truth = world_truth(WORLD)
    assert len(rows[FileKind.RECEIPTS]) == truth["counts"]["receipts"]
    assert len(rows[FileKind.EXPENSES]) == truth["counts"]["expenses"]
    assert len(rows[FileKind.DETAILS]) == truth["counts"]["details"]
    assert str(sum(a for a, _, _ in rows[FileKind.RECEIPTS].values())) == truth["receipts"]["total"]
    assert str(sum(a for a, _, _ in rows[FileKind.EXPENSES].values())) == truth["expenses"]["total"]
    principal = sum(a for a, _, k in rows[FileKind.DETAILS].values() if k == "Погашение долга")
    interest = sum(a for a, _, k in rows[FileKind.DETAILS].values() if k == "Уплата процентов")
    assert (str(principal), str(interest)) == (truth["principal"]["total"], truth["interest"]["total"])
    by_month = defaultdict(Decimal)
    for amount, day, _ in rows[FileKind.RECEIPTS].values():
        by_month[f"{day:%Y-%m}"] += amount
    assert {k: str(v) for k, v in by_month.items()} == truth["receipts"]["by_month"]


def test_the_same_world_in_xlsx_xls_and_xlsb_reads_to_identical_rows(tmp_path):
    read = {}
    for fmt in FORMATS:
        folder = tmp_path / fmt
        folder.mkdir()
        files = {p.name.rsplit(" ", 1)[0]: p.read_bytes() for p in publish(WORLD, folder, fmt=fmt)}
        read[fmt] = _read({f"{name} {fmt.upper()}.{fmt}": content for name, content in files.items()})
    assert read["xlsx"] == read["xls"] == read["xlsb"]
    assert len(read["xlsx"][FileKind.DETAILS]) == world_truth(WORLD)["counts"]["details"]


def test_the_header_row_and_synonyms_are_found_with_their_confidence(tmp_path):
    [path] = publish(WORLD, tmp_path, fmt="xls", only=(1, FileKind.RECEIPTS))
    sheet = open_export(path.name, path.read_bytes())
    assert sheet.header_row == 4  # a title and a period line and an empty row above it
    by_field = {m.field: (m.header, m.confidence) for m in sheet.columns}
    assert by_field["document"] == ("Документ поступления", 0.9)
    assert by_field["amount"] == ("Сумма документа", 0.9)
    assert "fee" not in by_field  # the optional column is missing in this layout
    number, first = next(sheet.rows())
    assert number == 5 and isinstance(parse_money(first["amount"]), Decimal)


def test_an_unknown_layout_is_refused_with_the_columns_found_and_expected(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Номер", "Клиент", "Итог"])
    workbook.active.append(["1", "x", 5])
    path = tmp_path / "ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx"
    workbook.save(path)
    with pytest.raises(ExportError) as caught:
        open_export(path.name, path.read_bytes())
    assert caught.value.details["columns_found"] == ["Номер", "Клиент", "Итог"]
    assert "Поступление на расчетный счет" in caught.value.details["columns_expected"]


def test_a_corrupt_workbook_and_an_unknown_kind_are_clear_errors():
    with pytest.raises(ExportError, match="not a readable workbook"):
        open_export("ООО Альфа Финанс - Spisanie kredity XLSX.xlsx", b"PK\x03\x04 broken zip")
    with pytest.raises(ExportError, match="unknown kind of file"):
        open_export("ООО Альфа Финанс - Oborotka XLSX.xlsx", b"")


@pytest.mark.parametrize(("raw", "expected"), [
    ("1 234 567,89", Decimal("1234567.89")), (1234.56, Decimal("1234.56")), ("12\u00a0000,5", Decimal("12000.50")),
    ("", None), (None, None)])
def test_amounts_as_numbers_or_text_with_spaces_and_a_decimal_comma(raw, expected):
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw", ["двенадцать", "1,2,3", "NaN", True])
def test_a_text_amount_that_is_not_a_number_is_refused(raw):
    with pytest.raises(ValueError, match="expected an amount"):
        parse_money(raw)


def test_dates_as_text_or_excel_dates():
    assert parse_date("15.03.2025") == date(2025, 3, 15)
    assert parse_date("15.03.2025 0:00:00") == date(2025, 3, 15)
    assert parse_date(date(2025, 3, 15)) == date(2025, 3, 15)
    with pytest.raises(ValueError, match="expected a date dd.mm.yyyy, found '2025-15-03'"):
        parse_date("2025-15-03")


def test_a_password_protected_workbook_is_refused_as_such():
    # The fixture was made once with msoffcrypto-tool 6.1.0 (not a requirement): an openpyxl workbook
    # with a valid receipts header, encrypted with the password "secret" (see the README).
    path = Path(__file__).parent / "fixtures" / "protected.xlsx"
    with pytest.raises(ExportError, match="password-protected"):
        open_export("ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx", path.read_bytes())
