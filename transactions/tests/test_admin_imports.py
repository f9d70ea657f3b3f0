"""The admin's project-mapping import: rows validated as the model does, plain messages, CSV and XLSX only."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from transactions.models import ProjectMapping

pytestmark = pytest.mark.django_db

MAPPINGS = "/admin/transactions/projectmapping/"
FX_RATES = "/admin/analytics/fxrate/"


@pytest.fixture
def admin_client(client, finance_admin):
    ProjectMapping.objects.all().delete()  # without the seeded mappings, so nothing is written unseen
    client.force_login(finance_admin)
    return client


def _format_index(admin_client, page: str, name: str) -> str:
    choices = admin_client.get(f"{page}import/").context["form"].fields["format"].choices
    return next(value for value, label in choices if label == name)


def _dry_run(admin_client, name: str, content: bytes, fmt: str = "csv"):
    upload = SimpleUploadedFile(name, content)
    return admin_client.post(f"{MAPPINGS}import/", {
        "resource": "0", "format": _format_index(admin_client, MAPPINGS, fmt), "import_file": upload})


def test_an_unknown_source_and_an_empty_client_name_are_shown_in_the_dry_run_and_nothing_is_written(admin_client):
    csv = b"source,provider_name,project,note\nstripe,ACME_LTD,acme,\npayshack,,91game,\npayshack,OK_LTD,ok,\n"
    response = _dry_run(admin_client, "mappings.csv", csv)
    assert response.status_code == 200
    result = response.context["result"]
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors == {1: {"source": ["Value 'stripe' is not a valid choice."]},
                      2: {"provider_name": ["This field cannot be blank."]}}
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert ProjectMapping.objects.count() == 0


def test_the_same_rows_in_xlsx_are_refused_the_same_way(admin_client):
    book = openpyxl.Workbook()
    for row in (("source", "provider_name", "project", "note"), ("stripe", "ACME_LTD", "acme", None)):
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    response = _dry_run(admin_client, "mappings.xlsx", content.getvalue(), fmt="xlsx")
    assert [row.error_dict for row in response.context["result"].invalid_rows] == [
        {"source": ["Value 'stripe' is not a valid choice."]}]
    assert ProjectMapping.objects.count() == 0


@pytest.mark.parametrize("debug", [True, False])
def test_wrong_headers_give_a_plain_message_without_a_traceback(admin_client, settings, debug):
    settings.DEBUG = debug
    response = _dry_run(admin_client, "mappings.csv", b"provider,client,slug\npayshack,ACME_LTD,acme\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("The file&#x27;s first row must name the columns source, provider_name, project, note; it names "
            "provider, client, slug (missing: source, provider_name, project, note).") in html
    assert "Traceback" not in html and ".py" not in html
    assert ProjectMapping.objects.count() == 0


@pytest.mark.parametrize("page", [MAPPINGS, FX_RATES])
def test_only_csv_and_xlsx_are_offered(admin_client, page):
    for step in ("import/", "export/"):
        choices = admin_client.get(f"{page}{step}").context["form"].fields["format"].choices
        assert [label for value, label in choices if value != ""] == ["csv", "xlsx"]


def test_a_format_that_is_not_offered_is_a_form_error_not_a_500(admin_client):
    upload = SimpleUploadedFile("mappings.html", b"<table><tr><th>source</th></tr></table>")
    response = admin_client.post(f"{MAPPINGS}import/", {"resource": "0", "format": "5", "import_file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["format"]
    assert ProjectMapping.objects.count() == 0
