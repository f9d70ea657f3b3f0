"""GET /api/v1/export/reconciliation: CSV and XLSX streamed from the shared export code, PDF rendered by a task."""

import csv
import io

import pytest
from openpyxl import load_workbook

from common import exports
from common.models import PreparedFile
from config.celery import app as celery_app
from reconciliation.exports import EXPORT_FIELDS, ORDER
from reconciliation.reports import Report, report_context
from reconciliation.services import reconciliation_run

from .conftest import DAY, payshack_row, vima

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/reconciliation"


@pytest.fixture
def run(write):
    write(vima("a"), payshack_row("a"), vima("b", "1000.00"), payshack_row("b", "1001.50"), vima("c"),
          payshack_row("d"))
    return reconciliation_run(date_from=DAY.date(), date_to=DAY.date())


@pytest.fixture
def eager():
    """Render the report in this process: the broker is not what these tests are about."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_csv_has_every_result_of_the_date_with_exact_amounts(api_client, viewer, run):
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"date": "2026-01-15", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="reconciliation-2026-01-15.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["key"], r["result_type"]) for r in rows] == [("b", "discrepancy_amount"), ("a", "matched"),
                                                            ("c", "missing_payshack"), ("d", "missing_vima")]
    assert (rows[0]["vima_amount"], rows[0]["payshack_amount"], rows[0]["difference"]) == ("1000.0000", "1001.5000",
                                                                                           "1.5000")
    assert (rows[0]["amount_differs"], rows[3]["vima_amount"], rows[0]["result_date"]) == ("true", "", "2026-01-15")


def test_the_database_written_csv_equals_the_python_written_one(run):
    results = run.results.all()
    copied = b"".join(exports.csv_chunks(results, EXPORT_FIELDS, ORDER))
    assert copied == b"".join(exports.csv_chunks(results, EXPORT_FIELDS, ORDER, allow_copy=False))


def test_xlsx_keeps_amounts_as_numbers(api_client, viewer, run):
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"date": "2026-01-15", "format": "xlsx", "type": "discrepancy_amount"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert sheet.max_row == 2 and row[header.index("difference")] == 1.5


@pytest.mark.parametrize(("query", "field"), [({"date": "2026-01-15", "format": "doc"}, "format"),
                                              ({"format": "csv"}, "date"),
                                              ({"date": "2026-01-15", "format": "csv", "type": "x"}, "type")])
def test_bad_parameters_are_400s_naming_the_field(api_client, viewer, run, query, field):
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, query)
    assert response.status_code == 400 and field in response.json()["error"]["details"]


def test_a_date_without_a_run_is_a_404_saying_so(api_client, viewer):
    api_client.force_authenticate(viewer)
    response = api_client.get(URL, {"date": "2026-01-15", "format": "csv"})
    assert response.status_code == 404 and "no reconciliation run covers 2026-01-15" in response.json()["error"][
        "message"]


@pytest.mark.usefixtures("eager")
def test_the_pdf_is_rendered_by_a_task_and_downloaded_once_ready(api_client, viewer, run,
                                                                 django_capture_on_commit_callbacks):
    api_client.force_authenticate(viewer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        pending = api_client.get(URL, {"date": "2026-01-15", "format": "pdf"})
    assert pending.status_code == 202
    report = pending.json()["data"]
    assert (report["state"], report["url"]) == ("queued", f"/api/v1/files/{report['id']}")
    assert PreparedFile.objects.get().params == {"run_id": run.pk, "day": "2026-01-15"}
    assert api_client.get(report["url"]).status_code == 202  # not rendered yet
    for callback in queued:
        callback()  # the commit: the task is sent (and, eager, rendered here)
    ready = api_client.get(report["url"])
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert b"".join(ready.streaming_content).startswith(b"%PDF-")
    again = api_client.get(URL, {"date": "2026-01-15", "format": "pdf"})  # the same run: the same report, ready
    assert again.status_code == 200 and PreparedFile.objects.count() == 1


def test_the_report_holds_the_summary_counts_and_largest_discrepancies_first(run):
    context = report_context(Report(run=run, day=DAY.date()))
    assert context["summary"]["total"] == 4
    assert ("Amount discrepancy", 1, context["summary"]["percentages"]["discrepancy_amount"]) in context["classes"]
    assert [r.key for r in context["largest"]] == ["b", "c", "d"]  # the difference, then the amount, then the key


@pytest.mark.usefixtures("eager")
def test_an_xlsx_past_the_bound_is_written_by_a_worker_behind_a_202(api_client, viewer, run, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "XLSX_STREAM_ROWS", 2)  # the run's 4 results are "large"
    api_client.force_authenticate(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        pending = api_client.get(URL, {"date": "2026-01-15", "format": "xlsx"})
    assert pending.status_code == 202
    ready = api_client.get(pending.json()["data"]["url"])
    assert ready.status_code == 200
    assert ready["Content-Disposition"].endswith('filename="reconciliation-2026-01-15.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(ready.streaming_content)), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == EXPORT_FIELDS and sorted(row[EXPORT_FIELDS.index("key")] for row in rows) == ["a", "b", "c", "d"]
