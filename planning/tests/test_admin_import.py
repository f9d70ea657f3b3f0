"""The admin's plan import: django-import-export's preview and confirm steps on the API's rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planning.models import Plan

pytestmark = pytest.mark.django_db
URL = "/admin/planning/plan/import/"
CSV_FORMAT = "0"  # PlanAdmin.import_formats: CSV, TSV, XLSX


def _upload(client, text: str):
    upload = SimpleUploadedFile("plans.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(URL, {"format": CSV_FORMAT, "import_file": upload})


def test_preview_then_confirm_writes_the_plans(admin_client):
    response = _upload(admin_client, "month,category_name,sum,project\n2026-01-01,видача,1500.50,91game\n"
                                     "01.02.2026,збір,700,\n")
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_validation_errors()
    assert [row.diff for row in result.valid_rows()] == [
        [date(2026, 1, 1), "видача", Decimal("1500.50"), "91game", "UAH"],
        [date(2026, 2, 1), "збір", Decimal("700.00"), "", "UAH"]]
    assert Plan.objects.count() == 0  # the preview wrote nothing
    confirm = response.context["confirm_form"].initial
    done = admin_client.post("/admin/planning/plan/process_import/", confirm)
    assert done.status_code == 302
    assert sorted(Plan.objects.values_list("month", "category__code", "project", "amount")) == [
        (date(2026, 1, 1), "issuance", "91game", Decimal("1500.50")),
        (date(2026, 2, 1), "collection", "", Decimal("700.00"))]


def test_a_bad_file_lists_each_problem_by_row_and_column_and_offers_no_confirm(admin_client):
    Plan.objects.create(month=date(2026, 1, 1), category_id=_category("issuance"), amount=1, currency="UAH")
    response = _upload(admin_client, "month,category_name,sum\n2026-01-01,видача,5\n2026-02-03,видача,x\n"
                                     "2026-03-01,штраф,1\n")
    result = response.context["result"]
    assert "confirm_form" not in response.context
    assert [(row.number, sorted(row.error_dict)) for row in result.invalid_rows] == [
        (2, ["month"]), (3, ["month", "sum"]), (4, ["category_name"])]
    assert "already exists" in result.invalid_rows[0].error_dict["month"][0]
    assert Plan.objects.count() == 1


def test_a_plan_written_between_preview_and_confirm_stops_the_whole_import(admin_client):
    response = _upload(admin_client, "month,category_name,sum\n2026-01-01,видача,5\n2026-02-01,видача,6\n")
    Plan.objects.create(month=date(2026, 2, 1), category_id=_category("issuance"), amount=1, currency="UAH")
    done = admin_client.post("/admin/planning/plan/process_import/", response.context["confirm_form"].initial,
                             follow=True)
    assert any("already exists" in str(message) for message in done.context["messages"])
    assert list(Plan.objects.values_list("month", "amount")) == [(date(2026, 2, 1), Decimal("1.00"))]


def _category(code: str) -> int:
    from planning.models import Category

    return Category.objects.get(code=code).pk
