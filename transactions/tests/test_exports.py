"""Exports: the API endpoint and the admin actions stream the same file, exact money, filters applied."""

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from transactions.exports import EXPORT_FIELDS
from transactions.models import Transaction
from transactions.tests.test_api import stored  # noqa: F401 — the 31 rows of the list tests

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/transactions"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_streams_every_filtered_row_oldest_first_with_exact_amounts(api_client, viewer, stored):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"format": "csv", "source": "vima", "status": "failed"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="transactions-')
    rows = read_csv(response)
    assert rows[0] == list(EXPORT_FIELDS) and len(rows) == 1 + 10
    amount, created = EXPORT_FIELDS.index("amount"), EXPORT_FIELDS.index("created_at")
    assert rows[1][amount] == "100.1000" and rows[1][created] == "2026-03-10T00:00:00Z"
    assert [r[created] for r in rows[1:]] == sorted(r[created] for r in rows[1:])


def test_xlsx_holds_the_same_rows_with_amounts_as_numbers(api_client, viewer, stored):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"format": "xlsx", "search": "ord-7"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header == EXPORT_FIELDS
    assert Decimal(str(row[EXPORT_FIELDS.index("amount")])) == Decimal("123456.50")


@pytest.mark.parametrize("params", [{"format": "pdf"}, {}, {"format": "csv", "status": "lost"}])
def test_a_wrong_format_or_filter_is_a_400(api_client, viewer, params):
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, params)
    assert response.status_code == 400 and json.loads(response.content)["error"]["code"] == "VALIDATION_ERROR"


def test_the_admin_action_exports_through_the_same_code(client, viewer, stored):  # noqa: F811
    client.force_login(viewer)
    ids = [str(pk) for pk in Transaction.objects.filter(project="monetix").values_list("pk", flat=True)]
    response = client.post("/admin/transactions/transaction/", {"action": "export_csv", "_selected_action": ids})
    rows = read_csv(response)
    assert len(rows) == 1 + 15 and {r[EXPORT_FIELDS.index("project")] for r in rows[1:]} == {"monetix"}
