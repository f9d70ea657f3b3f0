"""Year performance and plans performance as CSV and XLSX: the answers' exact values, amounts as numbers."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from planning.tests.test_selectors import book  # noqa: F401 — the hand-worked book

pytestmark = pytest.mark.django_db


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_year_performance_as_csv(api_client, viewer, book):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/export/planning/year-performance", {"year": "2026", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="year-performance-2026.csv"'
    lines = _csv_lines(response)
    assert lines[0] == ("month,issuance_plan,issuance_currency,issuance_count,issuance_sum,issuance_performance_pct,"
                        "issuance_unplanned,issuance_share_of_year_pct,collection_plan,collection_currency,"
                        "collection_count,collection_sum,collection_performance_pct,collection_unplanned,"
                        "collection_share_of_year_pct")
    assert len(lines) == 13
    # January: 1500 issued against 1000 (150 %, 1500 / 4500 of the year); 450 collected against 500 (90 %).
    assert lines[1] == "2026-01-01,1000.00,UAH,2,1500.00,150.00,false,33.33,500.00,UAH,2,450.00,90.00,false,28.56"
    # March: issuance unplanned (empty plan and performance); 25.50 collected against 100 (25.50 %, 1.62 % of 1575.50).
    assert lines[3] == "2026-03-01,,,2,1000.00,,true,22.22,100.00,UAH,1,25.50,25.50,false,1.62"


def test_plans_performance_as_xlsx_keeps_amounts_numbers(api_client, viewer, book):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/export/planning/plans-performance", {"date": "2026-03-15", "format": "xlsx"})
    assert response.status_code == 200
    assert 'filename="plans-performance-2026-03-15.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("month", "category", "category_name", "through", "plan", "currency", "count", "sum",
                       "performance_pct", "unplanned")
    january = next(row for row in rows[1:] if row[:2] == ("2026-01-01", "issuance"))
    # Counts are text, as every export of common.exports writes integers; amounts are numbers.
    assert january == ("2026-01-01", "issuance", "видача", "2026-01-31", 1000, "UAH", "2", 1500, 150, "false")
    assert isinstance(january[7], int | float) and Decimal(str(january[7])) == Decimal("1500")


def test_a_bad_format_is_a_400_naming_it(api_client, viewer):
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/export/planning/year-performance", {"format": "pdf"})
    assert response.status_code == 400 and "format" in response.json()["error"]["details"]
