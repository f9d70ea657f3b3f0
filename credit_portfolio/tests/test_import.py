"""Imports from the FTP sandbox over loopback, through the shared sync runner, into the portfolio."""

import os
import socket
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import Workbook

from credit_portfolio.choices import FileKind, ImportStatus, PaymentKind
from credit_portfolio.client import FtpSettings
from credit_portfolio.models import Expense, ImportLog, MonthlyTotal, Receipt, RepaymentDetail
from credit_portfolio.sandbox.files import FORMATS, file_name
from credit_portfolio.sandbox.server import DROPPED_AT, FtpSandbox, publish
from credit_portfolio.sandbox.truth import world_truth
from credit_portfolio.sandbox.world import CORRECTION, World
from credit_portfolio.sync import PortfolioSource
from integrations.core.runner import sync_run
from integrations.models import QuarantinedRecord, SyncState

pytestmark = pytest.mark.django_db(transaction=True)

WORLD = World(seed=11, size=150)


@pytest.fixture
def ftp():
    sandbox = FtpSandbox().start()
    yield sandbox
    sandbox.stop()


def run_import(sandbox, **overrides):
    values = {"host": sandbox.host, "port": sandbox.port, "user": sandbox.user, "password": sandbox.password}
    return sync_run(source=PortfolioSource(FtpSettings(**{**values, **overrides})), trigger="command")


def stored_truth() -> dict:
    """The portfolio as stored, in the shape of ``world_truth``: per kind, total, by organization, by month."""
    sums = {kind: {"total": Decimal(0), "by_organization": defaultdict(Decimal), "by_month": defaultdict(Decimal)}
            for kind in ("receipts", "expenses", "principal", "interest")}

    def add(kind, organization, day, amount):
        sums[kind]["total"] += amount
        sums[kind]["by_organization"][organization] += amount
        sums[kind]["by_month"][f"{day:%Y-%m}"] += amount

    for r in Receipt.objects.select_related("organization"):
        add("receipts", r.organization.name, r.date, r.amount)
    for e in Expense.objects.select_related("organization"):
        add("expenses", e.organization.name, e.date, e.amount)
    for d in RepaymentDetail.objects.select_related("organization"):
        add(d.payment_kind, d.organization.name, d.date, d.amount)
    return {kind: {"total": str(s["total"]),
                   "by_organization": {k: str(v) for k, v in sorted(s["by_organization"].items())},
                   "by_month": {k: str(v) for k, v in sorted(s["by_month"].items())}} for kind, s in sums.items()}


def totals_by_kind() -> dict:
    """The monthly totals the write path keeps: per kind, amount and operations."""
    found = defaultdict(lambda: [Decimal(0), 0])
    for total in MonthlyTotal.objects.all():
        found[total.kind][0] += total.amount
        found[total.kind][1] += total.operations
    return {kind: tuple(value) for kind, value in found.items() if value[1]}


def stored_totals_by_kind() -> dict:
    """The same, summed from the stored operations (detail lines once linked to their repayment)."""
    found = {"receipts": [Decimal(0), 0], "expenses": [Decimal(0), 0], "principal": [Decimal(0), 0],
             "interest": [Decimal(0), 0]}
    for kind, queryset in (("receipts", Receipt.objects.all()), ("expenses", Expense.objects.all())):
        for amount in queryset.values_list("amount", flat=True):
            found[kind][0] += amount
            found[kind][1] += 1
    for kind, amount in RepaymentDetail.objects.filter(date__isnull=False).values_list("payment_kind", "amount"):
        found[kind][0] += amount
        found[kind][1] += 1
    return {kind: tuple(value) for kind, value in found.items() if value[1]}


def counts() -> tuple[int, int, int]:
    return Receipt.objects.count(), Expense.objects.count(), RepaymentDetail.objects.count()


def test_an_import_equals_the_truth_to_the_cent_per_kind_organization_and_month(ftp):
    publish(WORLD, ftp.root, fmt="mixed")
    run = run_import(ftp)
    truth = world_truth(WORLD)
    assert run.status == "succeeded", run.error
    assert counts() == (truth["counts"]["receipts"], truth["counts"]["expenses"], truth["counts"]["details"])
    assert stored_truth() == {kind: truth[kind] for kind in ("receipts", "expenses", "principal", "interest")}
    # The second organization's details were dropped before its repayments: linked once those came.
    assert not RepaymentDetail.objects.filter(expense__isnull=True).exists()
    logs = ImportLog.objects.filter(run=run)
    assert logs.count() == 9 and set(logs.values_list("status", flat=True)) == {ImportStatus.IMPORTED}
    receipts_log = logs.get(file_name=file_name(1, FileKind.RECEIPTS, "xls"))
    assert (receipts_log.header_row, receipts_log.rows_read, receipts_log.inserted, receipts_log.rejected) == (
        4, 10, 10, 0)
    assert receipts_log.columns["document"] == {"header": "Документ поступления", "confidence": 0.9}
    assert (run.inserted, run.quarantined) == (sum(counts()), 0)
    assert totals_by_kind() == stored_totals_by_kind()


def test_a_reimport_changes_nothing(ftp):
    publish(WORLD, ftp.root, fmt="mixed")
    run_import(ftp)
    before = (counts(), stored_truth())
    unchanged_listing = run_import(ftp)
    assert (unchanged_listing.fetched, unchanged_listing.inserted, unchanged_listing.updated) == (0, 0, 0)
    SyncState.objects.filter(source="credit_portfolio").delete()  # forget what was imported: read it all again
    forced = run_import(ftp)
    assert (forced.inserted, forced.updated) == (0, 0)
    assert (counts(), stored_truth()) == before
    assert set(ImportLog.objects.filter(run=forced).values_list("inserted", "updated")) == {(0, 0)}


def test_a_touched_file_with_the_same_content_is_skipped(ftp):
    [path] = publish(WORLD, ftp.root, only=(0, FileKind.RECEIPTS))
    run_import(ftp)
    os.utime(path, (DROPPED_AT + 86_400, DROPPED_AT + 86_400))  # same bytes, a new time
    run = run_import(ftp)
    [log] = ImportLog.objects.filter(run=run)
    assert (log.file_name, log.status, log.inserted) == (path.name, ImportStatus.SKIPPED, 0)


def test_a_corrected_file_updates_exactly_its_changes(ftp):
    publish(WORLD, ftp.root, fmt="mixed")
    run_import(ftp)
    corrected = World(seed=WORLD.seed, size=WORLD.size, revision=1)
    publish(corrected, ftp.root, fmt="mixed", only=(0, FileKind.RECEIPTS), dropped_at=DROPPED_AT + 86_400)
    run = run_import(ftp)
    [log] = ImportLog.objects.filter(run=run)
    original = {r.document: r.amount for r in WORLD.receipts(0)}
    changed = [r for r in corrected.receipts(0) if r.amount != original[r.document]]
    dropped = sorted(set(original) - {r.document for r in corrected.receipts(0)})
    assert changed and dropped
    assert (log.inserted, log.updated, log.unchanged, log.deleted) == (
        0, len(changed), log.rows_read - len(changed), len(dropped))
    assert len(log.changes) == len(changed) + len(dropped)
    assert [c for c in log.changes if c["field"] != "amount"] == [
        {"document": document, "field": "row", "before": "stored", "after": "deleted"} for document in dropped]
    first = changed[0]
    assert log.changes[0] == {"document": first.document, "field": "amount",
                              "before": str(first.amount - CORRECTION), "after": str(first.amount)}
    assert stored_truth()["receipts"] == world_truth(corrected)["receipts"]
    assert not Receipt.objects.filter(document__in=dropped).exists()
    assert (run.updated, run.inserted) == (len(changed), 0)
    assert totals_by_kind() == stored_totals_by_kind()


def test_xlsx_xls_and_xlsb_import_to_identical_rows(ftp):
    stored = {}
    for fmt in FORMATS:
        for path in ftp.root.iterdir():
            path.unlink()
        Receipt.objects.all().delete()
        RepaymentDetail.objects.all().delete()
        Expense.objects.all().delete()
        SyncState.objects.all().delete()
        publish(WORLD, ftp.root, fmt=fmt)
        run_import(ftp)
        stored[fmt] = (
            sorted(Receipt.objects.values_list("organization__name", "document", "date", "amount", "fee",
                                               "contract__name", "bank__name")),
            sorted(Expense.objects.values_list("organization__name", "document", "date", "amount", "unconfirmed",
                                               "contract__name", "bank__name")),
            sorted(RepaymentDetail.objects.values_list("expense_document", "payment_kind", "amount", "line",
                                                       "date", "expense__document")),
        )
    assert stored["xlsx"] == stored["xls"] == stored["xlsb"]
    assert len(stored["xlsx"][2]) == world_truth(WORLD)["counts"]["details"]


def _workbook(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


RECEIPT_HEADER = ["Поступление на расчетный счет", "Организация", "Банковский счет", "Договор", "Сумма",
                  "Дата входящего документа"]


def test_bad_rows_are_quarantined_with_file_row_and_column_and_the_rest_goes_on(ftp):
    name = "ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx"
    _workbook(ftp.root / name, [
        RECEIPT_HEADER,
        ["П-1", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", "1 000,00", "15.03.2025"],
        ["П-2", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", "тысяча", "15.03.2025"],
        ["П-3", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", 2500.5, "32.03.2025"],
        ["П-4", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", 10, "16.03.2025"],
    ])
    run = run_import(ftp)
    assert sorted(Receipt.objects.values_list("document", "amount")) == [("П-1", Decimal("1000.00")),
                                                                           ("П-4", Decimal("10.00"))]
    errors = dict(QuarantinedRecord.objects.filter(run=run).values_list("source_id", "error"))
    assert errors == {
        f"{name}#3": f"ValueError: {name}, row 3, column 'Сумма': expected an amount, found 'тысяча'",
        f"{name}#4": f"ValueError: {name}, row 4, column 'Дата входящего документа': expected a date dd.mm.yyyy, "
                     "found '32.03.2025'",
    }
    [log] = ImportLog.objects.filter(run=run)
    assert (log.status, log.rows_read, log.inserted, log.rejected) == (ImportStatus.IMPORTED, 4, 2, 2)
    assert [r["row"] for r in log.reasons] == [3, 4] and "тысяча" in log.reasons[0]["reason"]


def test_rows_missing_from_a_file_with_rejected_rows_are_kept_not_deleted_on_a_guess(ftp):
    name = "ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx"
    good = [["П-1", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", "1 000,00", "15.03.2025"],
            ["П-2", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", 20, "16.03.2025"]]
    _workbook(ftp.root / name, [RECEIPT_HEADER, *good])
    run_import(ftp)
    _workbook(ftp.root / name, [RECEIPT_HEADER, good[0],
                                ["П-3", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", "сорок", "17.03.2025"]])
    os.utime(ftp.root / name, (DROPPED_AT + 86_400, DROPPED_AT + 86_400))
    run = run_import(ftp)
    [log] = ImportLog.objects.filter(run=run)
    assert (log.rows_read, log.unchanged, log.rejected, log.deleted) == (2, 1, 1, 0)
    assert "1 row(s) of the file were rejected" in log.error
    assert sorted(Receipt.objects.values_list("document", flat=True)) == ["П-1", "П-2"]
    # Once the file reads whole, the row it no longer holds goes.
    _workbook(ftp.root / name, [RECEIPT_HEADER, good[0]])
    os.utime(ftp.root / name, (DROPPED_AT + 2 * 86_400, DROPPED_AT + 2 * 86_400))
    run = run_import(ftp)
    assert ImportLog.objects.get(run=run).deleted == 1
    assert list(Receipt.objects.values_list("document", flat=True)) == ["П-1"]
    assert totals_by_kind() == stored_totals_by_kind() == {"receipts": (Decimal("1000.00"), 1)}


def test_a_row_new_in_a_corrected_file_is_kept_and_only_the_row_it_dropped_is_deleted(ftp):
    # A replacing file holds its new rows by the ids its insert returned, not by looking them up again.
    name = "ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx"
    first = ["П-1", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", "1 000,00", "15.03.2025"]
    _workbook(ftp.root / name, [RECEIPT_HEADER, first, ["П-2", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", 20,
                                                        "16.03.2025"]])
    run_import(ftp)
    _workbook(ftp.root / name, [RECEIPT_HEADER, first, ["П-3", "ООО Альфа Финанс", "4070, ПАО Сбербанк", "КД-1", 30,
                                                        "17.04.2025"]])
    os.utime(ftp.root / name, (DROPPED_AT + 86_400, DROPPED_AT + 86_400))
    run = run_import(ftp)
    log = ImportLog.objects.get(run=run)
    assert (log.replaces, log.inserted, log.unchanged, log.deleted) == (True, 1, 1, 1)
    assert sorted(Receipt.objects.values_list("document", flat=True)) == ["П-1", "П-3"]
    assert totals_by_kind() == stored_totals_by_kind() == {"receipts": (Decimal("1030.00"), 2)}


def test_a_repayment_missing_from_its_corrected_file_is_deleted_and_its_lines_wait_unlinked(ftp):
    expenses = "ООО Альфа Финанс - Spisanie kredity XLSX.xlsx"
    header = ["Списание с расчетного счета", "Банковский счет", "Договор", "Сумма", "Вх. дата"]
    rows = [["С-1", "4070, ПАО Сбербанк", "КД-1", "300,00", "15.03.2025"],
            ["С-2", "4070, ПАО Сбербанк", "КД-1", 50, "20.04.2025"]]
    _workbook(ftp.root / expenses, [header, *rows])
    _workbook(ftp.root / "ООО Альфа Финанс - Spisanie(rasshifrovka) XLSX.xlsx", [
        ["Списание с расчетного счета", "Вид платежа по кредитам займам", "Сумма платежа"],
        ["С-1", "Погашение долга", 250], ["С-1", "Уплата процентов", 50], ["С-2", "Погашение долга", 50]])
    run_import(ftp)
    assert totals_by_kind() == stored_totals_by_kind()
    _workbook(ftp.root / expenses, [header, rows[0]])
    os.utime(ftp.root / expenses, (DROPPED_AT + 86_400, DROPPED_AT + 86_400))
    run = run_import(ftp)
    assert ImportLog.objects.get(run=run).deleted == 1
    assert list(Expense.objects.values_list("document", flat=True)) == ["С-1"]
    [line] = RepaymentDetail.objects.filter(expense_document="С-2")
    assert (line.expense_id, line.date) == (None, None)  # kept, counted in no total until a repayment takes it
    assert totals_by_kind() == stored_totals_by_kind() == {
        "expenses": (Decimal("300.00"), 1), "principal": (Decimal("250.00"), 1), "interest": (Decimal("50.00"), 1)}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("ООО Альфа Финанс - Oborotka XLSX.xlsx", None, "unknown kind of file"),
    ("ООО Альфа Финанс - Spisanie kredity XLSX.xlsx", b"PK\x03\x04 broken", "not a readable workbook"),
    ("ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx", "protected", "password-protected"),
    ("ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx", "unknown-layout", "unknown layout for receipts"),
])
def test_an_unreadable_file_is_a_logged_failure_writing_nothing_while_the_folder_goes_on(ftp, name, content,
                                                                                          message):
    from pathlib import Path

    if content == "protected":
        content = (Path(__file__).parent / "fixtures" / "protected.xlsx").read_bytes()
    if content == "unknown-layout" or content is None:
        _workbook(ftp.root / name, [["Номер", "Клиент", "Итог"], ["1", "x", 5]])
    else:
        (ftp.root / name).write_bytes(content)
    publish(WORLD, ftp.root, only=(2, FileKind.EXPENSES))
    run = run_import(ftp)
    assert run.status == "succeeded"
    failed = ImportLog.objects.get(run=run, file_name=name)
    assert failed.status == ImportStatus.FAILED and message in failed.error and name in failed.error
    assert not Receipt.objects.exists()
    assert Expense.objects.count() == len(list(WORLD.expenses(2)))  # the other file was imported
    again = run_import(ftp)  # a failed file is tried again next time (its position did not move)
    assert ImportLog.objects.get(run=again).status == ImportStatus.FAILED


def test_a_refused_login_fails_the_run_with_a_clear_error_and_writes_nothing(ftp):
    publish(WORLD, ftp.root, fmt="mixed")
    run = run_import(ftp, password="wrong")
    assert run.status == "failed" and "refused the login of 'accounting'" in run.error
    assert counts() == (0, 0, 0) and not ImportLog.objects.exists()


def test_a_server_that_is_down_fails_the_run_with_a_clear_error_and_writes_nothing():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = sync_run(source=PortfolioSource(FtpSettings(host="127.0.0.1", port=port, user="u", password="p")),
                   trigger="command")
    assert run.status == "failed" and "is unreachable" in run.error
    assert counts() == (0, 0, 0) and not ImportLog.objects.exists()


def test_details_each_split_a_repayment_into_principal_and_interest(ftp):
    publish(WORLD, ftp.root, fmt="xlsx")
    run_import(ftp)
    twin = next(e for i, e in enumerate(WORLD.expenses()) if i % 7 == 3)
    lines = RepaymentDetail.objects.filter(expense_document=twin.document).order_by("payment_kind", "line")
    assert [(d.payment_kind, d.amount, d.line) for d in lines] == [
        (PaymentKind.INTEREST, twin.interest, 1), (PaymentKind.PRINCIPAL, twin.principal_lines[0], 1),
        (PaymentKind.PRINCIPAL, twin.principal_lines[1], 2)]
    assert {d.expense.amount for d in lines} == {twin.amount}


def test_an_import_over_ftps_equals_the_truth(tmp_path):
    from credit_portfolio.tests.test_client import _self_signed_certificate

    server_pem, ca_pem = _self_signed_certificate(tmp_path)
    sandbox = FtpSandbox(certfile=server_pem).start()
    try:
        publish(WORLD, sandbox.root, fmt="mixed")
        run = run_import(sandbox, tls=True, ca_file=ca_pem)
    finally:
        sandbox.stop()
    truth = world_truth(WORLD)
    assert run.status == "succeeded", run.error
    assert stored_truth() == {kind: truth[kind] for kind in ("receipts", "expenses", "principal", "interest")}
