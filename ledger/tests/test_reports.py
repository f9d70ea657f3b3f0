"""Reports as files: trial balance, statement with running balance, balance sheet and income statement."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ledger.models import Account
from ledger.services.vouchers import system_user, voucher_create, voucher_post_by_system
from ledger.tests.conftest import DAY, pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(chart, gen):
    """Pay-ins of 500 settle on clearing; a fee of 20 is an expense; an FX gain of 5 is income."""
    fx_income = Account.objects.create(code="4100", name="FX gains", type="income")
    clearing = Account.objects.get(purpose="clearing", source="vima")
    for debit, credit, amount in ((clearing, chart["2100"], "500"), (chart["5100"], clearing, "20"),
                                  (chart["1100"], fx_income, "5")):
        voucher_post_by_system(voucher=voucher_create(journal=gen, day=DAY, lines=pair(debit, credit, amount),
                                                      user=system_user(), kind="auto"))
    return clearing


def _csv(client, kind, **params) -> list[list[str]]:
    answer = client.get(f"/api/v1/ledger/reports/{kind}", params)
    assert answer.status_code == 200, answer.content
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    return [line.split(",") for line in text.strip().split("\n")]


def test_trial_balance_and_statement_as_csv(books, api_client, viewer):
    api_client.force_authenticate(viewer)
    rows = _csv(api_client, "trial-balance", as_of="2026-01-31")
    assert rows[0][0] == "account" and rows[-1] == ["total", "", "", "INR", "", "", "0.0000"]
    statement = _csv(api_client, "statement", account=books.code, currency="INR", from_date="2026-01-01",
                     to_date="2026-01-31")
    assert [row[-1] for row in statement[1:]] == ["500.0000", "480.0000"]


def test_balance_sheet_balances_with_the_result_and_income_statement_as_xlsx(books, api_client, viewer):
    api_client.force_authenticate(viewer)
    sheet = _csv(api_client, "balance-sheet", period="2026-01")
    amounts = {(row[0], row[1]): Decimal(row[-1]) for row in sheet[1:]}
    assets = sum(v for (section, _), v in amounts.items() if section == "asset")
    others = sum(v for (section, _), v in amounts.items() if section != "asset")
    assert assets == others == Decimal("485")
    answer = api_client.get("/api/v1/ledger/reports/income-statement", {"period": "2026-01", "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    values = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert (values[-1][0], values[-1][-2], values[-1][-1]) == ("result", "INR", -15)  # income 5 − fees 20


def test_a_report_without_its_parameters_is_a_400(chart, api_client, viewer):
    api_client.force_authenticate(viewer)
    answer = api_client.get("/api/v1/ledger/reports/statement", {"account": "1100"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "VALIDATION_ERROR"
    assert api_client.get("/api/v1/ledger/reports/nonsense").status_code == 404  # one path per kind


def test_the_pdf_is_written_by_a_worker_and_a_long_statement_is_refused(books, api_client, viewer, monkeypatch):
    from common.models import PreparedFile
    from common.prepared_files import prepared_file_render
    from ledger import exports

    api_client.force_authenticate(viewer)
    queued = api_client.get("/api/v1/ledger/reports/trial-balance", {"as_of": "2026-01-31", "format": "pdf"})
    assert queued.status_code == 202 and queued.json()["data"]["state"] == "queued"
    prepared_file_render(file_id=queued.json()["data"]["id"])  # what the worker does (run here, in this process)
    ready = api_client.get(queued.json()["data"]["url"])
    assert ready.status_code == 200 and b"".join(ready.streaming_content).startswith(b"%PDF")
    prepared = PreparedFile.objects.get(pk=queued.json()["data"]["id"])
    # Five accounts with postings and one total (INR): the rows of the CSV, in the PDF.
    assert (prepared.filename, prepared.rows) == ("trial-balance-2026-01-31.pdf", 6)
    html = exports.render_to_string("ledger/report.html", {"title": "Trial balance", "subtitle": "", "header": [],
                                                           "rows": [], "generated_at": None})
    assert "Nothing posted." in html and "page " in html  # the report layout (report_base.html) with its table
    monkeypatch.setattr("ledger.api.reports.STATEMENT_PDF_MAX_LINES", 1)
    refused = api_client.get("/api/v1/ledger/reports/statement", {
        "account": books.code, "currency": "INR", "from_date": "2026-01-01", "to_date": "2026-01-31",
        "format": "pdf"})
    assert refused.status_code == 400 and "at most 1 lines" in str(refused.json()["error"]["details"]["to_date"])
