"""The plan import through the API: preview, all or nothing, every problem naming its row and column.

Each bad file is a 400 listing its problems, and the plans table is the same before and after it.
"""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from planning.models import Category, Plan

pytestmark = pytest.mark.django_db
URL = "/api/v1/planning/plans/import"


def _csv(text: str, name: str = "plans.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("plans.xlsx", output.getvalue())


def _post(client, upload, **fields):
    return client.post(URL, {"file": upload, **fields}, format="multipart")


def _problems(response) -> list[tuple]:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "VALIDATION_ERROR"
    return [(p["row"], p["column"]) for p in body["details"]["problems"]]


def _plans() -> list[tuple]:
    return list(Plan.objects.order_by("month", "category__code", "project").values_list(
        "month", "category__code", "project", "amount", "currency"))


@pytest.fixture
def manager_client(api_client, finance_manager):
    api_client.force_authenticate(finance_manager)
    return api_client


GOOD = "month,category_name,sum\n2026-01-01,видача,150000.00\n01.02.2026,збір,\"98 500,50\"\n2026-01-01,issuance,1\n"


def test_preview_shows_the_plans_and_writes_nothing(manager_client):
    good = "month,category_name,sum\n2026-01-01,видача,150000.00\n01.02.2026,збір,\"98 500,50\"\n"
    response = _post(manager_client, _csv(good), preview="true")
    assert response.status_code == 200
    data = json.loads(response.content, parse_float=Decimal)["data"]
    assert (data["preview"], data["written"]) == (True, 0)
    assert [(p["row"], p["month"], p["category"], p["amount"], p["currency"], p["project"]) for p in data["plans"]] == [
        (2, "2026-01-01", "issuance", Decimal("150000.00"), "UAH", None),
        (3, "2026-02-01", "collection", Decimal("98500.50"), "UAH", None)]
    assert _plans() == []


def test_import_writes_every_plan_then_a_reimport_is_refused_as_existing(manager_client):
    good = "month,category_name,sum\n2026-01-01,видача,150000.00\n01.02.2026,ЗБІР,98500.5\n"
    response = _post(manager_client, _csv(good), project="91game", currency="USD")
    assert response.status_code == 201
    assert response.json()["data"]["written"] == 2
    written = [(date(2026, 1, 1), "issuance", "91game", Decimal("150000.00"), "USD"),
               (date(2026, 2, 1), "collection", "91game", Decimal("98500.50"), "USD")]
    assert _plans() == written
    again = _post(manager_client, _csv(good), project="91game", currency="USD")
    assert _problems(again) == [(2, "month"), (3, "month")]
    assert "already exists" in again.json()["error"]["details"]["problems"][0]["message"]
    assert _plans() == written
    # The same months without a project are other plans.
    assert _post(manager_client, _csv(good)).status_code == 201
    assert len(_plans()) == 4


@pytest.mark.parametrize(("text", "expected"), [
    # Missing column.
    ("month,category_name\n2026-01-01,видача\n", [(1, "sum")]),
    # Empty and non-numeric sums, one problem each, both listed.
    ("month,category_name,sum\n2026-01-01,видача,\n2026-02-01,видача,12abc\n", [(2, "sum"), (3, "sum")]),
    # A month that is not the first day, and one that is no date at all.
    ("month,category_name,sum\n2026-01-15,видача,1.00\n2026-13-01,видача,1.00\n", [(2, "month"), (3, "month")]),
    # Unknown category.
    ("month,category_name,sum\n2026-01-01,штраф,1.00\n", [(2, "category_name")]),
    # The same plan twice in one file (one date ISO, the other dd.mm.yyyy; the category by name and by code).
    ("month,category_name,sum\n2026-01-01,видача,1.00\n01.01.2026,issuance,2.00\n", [(3, "month")]),
    # Several problems of several kinds in one file: every one is listed, in row order.
    ("month,category_name,sum,colour\n2026-01-02,штраф,-5\n", [(1, None), (2, "month"), (2, "category_name"),
                                                                (2, "sum")]),
    # More decimals than a plan holds, a bad currency column.
    ("month,category_name,sum,currency\n2026-01-01,видача,1.005,UAH\n2026-02-01,видача,1,uah\n",
     [(2, "sum"), (3, "currency")]),
    # A line of more cells than the header.
    ("month,category_name,sum\n2026-01-01,видача,1.00,4\n", [(2, None)]),
])
def test_each_bad_file_is_a_400_naming_row_and_column_and_writes_nothing(manager_client, text, expected):
    problems = _problems(_post(manager_client, _csv(text)))
    if expected[0] == (1, None):  # an unknown column is named by its header
        expected = [(1, "colour"), *expected[1:]]
    assert problems == expected
    assert _plans() == []


def test_a_bad_file_with_preview_is_the_same_400(manager_client):
    assert _problems(_post(manager_client, _csv("month,category_name,sum\n2026-01-15,видача,1\n"), preview="true")) \
        == [(2, "month")]


def test_one_bad_row_among_good_ones_writes_none_of_them(manager_client):
    text = "month,category_name,sum\n2026-01-01,видача,1.00\n2026-02-01,видача,2.00\n2026-03-01,видача,x\n"
    assert _problems(_post(manager_client, _csv(text))) == [(4, "sum")]
    assert _plans() == []


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plans.pdf", b"%PDF-1.4", "is not a .csv, .tsv or .xlsx file"),
    ("plans.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX workbook"),
    ("plans.csv", b"month,category_name,sum\n2026-01-01,\xff\xfe,1\n", "not UTF-8 text"),
    ("plans.csv", b"\r\n\r\n", "no header row"),
])
def test_an_unreadable_file_is_a_400_not_a_500(manager_client, name, content, message):
    response = _post(manager_client, SimpleUploadedFile(name, content))
    assert _problems(response) == [(None, None)]
    assert message in response.json()["error"]["details"]["problems"][0]["message"]
    assert _plans() == []


def test_tsv_and_xlsx_read_to_the_same_plans(manager_client):
    tsv = _csv("month\tcategory_name\tsum\tproject\n01.03.2026\tвідсотки\t250.75\tbingo\n", name="plans.tsv")
    assert _post(manager_client, tsv).status_code == 201
    workbook = _xlsx([["month", "category_name", "sum", "project"],
                      [date(2026, 3, 1), "тіло", 1000.1, "bingo"], [None, None, None, None],
                      ["2026-04-01", "pay-in volume", 12, "bingo"]])
    assert _post(manager_client, workbook).status_code == 201
    assert _plans() == [(date(2026, 3, 1), "body", "bingo", Decimal("1000.10"), "UAH"),
                        (date(2026, 3, 1), "interest", "bingo", Decimal("250.75"), "UAH"),
                        (date(2026, 4, 1), "payin_volume", "bingo", Decimal("12.00"), "UAH")]


def test_xlsx_problems_name_the_spreadsheet_row(manager_client):
    workbook = _xlsx([["month", "category_name", "sum"], [date(2026, 1, 1), "видача", 5], [None, None, None],
                      [date(2026, 1, 9), "видача", "five"]])
    assert _problems(_post(manager_client, workbook)) == [(4, "month"), (4, "sum")]


def test_the_request_needs_a_file_and_a_manager(api_client, viewer, finance_manager):
    api_client.force_authenticate(viewer)
    assert _post(api_client, _csv(GOOD)).status_code == 403
    api_client.force_authenticate(finance_manager)
    response = api_client.post(URL, {"preview": "true"}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["details"]
    response = api_client.post(URL, {"file": "x"}, format="json")
    assert response.status_code == 415 and response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_a_file_past_the_size_bound_is_refused_before_it_is_read(manager_client, settings):
    settings.PLAN_IMPORT_MAX_BYTES = 1000
    response = _post(manager_client, _csv(GOOD + "2026-05-01,видача,1.00\n" * 100))
    assert response.status_code == 400
    assert "larger than 1000 bytes" in response.json()["error"]["message"]
    assert _plans() == []


def test_a_renamed_category_is_found_by_its_new_name(manager_client):
    Category.objects.filter(code="issuance").update(name="Видача кредитів")
    assert _post(manager_client, _csv("month,category_name,sum\n2026-01-01,видача кредитів,7\n")).status_code == 201
    assert _plans() == [(date(2026, 1, 1), "issuance", "", Decimal("7.00"), "UAH")]


def test_a_cell_past_the_csv_readers_limit_is_a_problem_not_a_500(manager_client):
    text = "month,category_name,sum\n2026-01-01,видача," + "1" * 200_000 + "\n"
    response = _post(manager_client, _csv(text))
    assert _problems(response) == [(2, None)]
    assert "not readable as CSV" in response.json()["error"]["details"]["problems"][0]["message"]
