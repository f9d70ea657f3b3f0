"""A large XLSX export is written by a worker: the request answers 202 with the file's URL at once, the file
holds every row, and only whoever asked (within the same project limits) can fetch it."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from common import exports
from common.models import PreparedFile, TokenProjectLimit
from config.celery import app as celery_app
from transactions.exports import EXPORT_FIELDS
from transactions.models import Transaction
from transactions.tests.test_api import stored  # noqa: F401 — the 31 rows of the list tests

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/transactions"


@pytest.fixture
def small_bound(monkeypatch):
    """The bound of what is written while the request waits, at 10 rows instead of 5,000: 31 rows are "large"."""
    monkeypatch.setattr(exports, "XLSX_STREAM_ROWS", 10)


@pytest.fixture
def eager():
    """Render in this process when the task is sent: the broker is not what these tests are about."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))


@pytest.mark.usefixtures("small_bound", "eager")
def test_a_large_xlsx_answers_202_with_a_link_and_a_worker_writes_every_row(
        api_client, viewer, stored, django_capture_on_commit_callbacks):  # noqa: F811
    api_client.force_authenticate(viewer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        pending = api_client.get(URL, {"format": "xlsx", "source": "vima"})
    assert pending.status_code == 202
    data = pending.json()["data"]
    assert (data["state"], data["url"]) == ("queued", f"/api/v1/files/{data['id']}")
    assert api_client.get(data["url"]).status_code == 202  # not written yet
    for callback in queued:
        callback()  # the commit: the task is sent (and, eager, run here)

    ready = api_client.get(data["url"])
    assert ready.status_code == 200 and ready["Content-Type"] == exports.FORMATS["xlsx"]
    header, *rows = _rows(b"".join(ready.streaming_content))
    assert header == EXPORT_FIELDS and len(rows) == 30 == PreparedFile.objects.get().rows
    ids = [str(pk) for pk in Transaction.objects.filter(source="vima").order_by("created_at", "id")
           .values_list("id", flat=True)]
    assert [row[EXPORT_FIELDS.index("id")] for row in rows] == ids
    assert {Decimal(str(row[EXPORT_FIELDS.index("amount")])) for row in rows} == set(
        Transaction.objects.filter(source="vima").values_list("amount", flat=True))


@pytest.mark.usefixtures("small_bound")
def test_a_small_xlsx_and_any_csv_are_still_written_while_the_request_waits(api_client, viewer, stored):  # noqa: F811
    api_client.force_authenticate(viewer)
    assert api_client.get(URL, {"format": "xlsx", "search": "ord-7"}).status_code == 200
    assert api_client.get(URL, {"format": "csv"}).status_code == 200
    assert not PreparedFile.objects.exists()


@pytest.mark.usefixtures("small_bound", "eager")
def test_a_file_is_its_askers_within_the_same_project_limits(
        api_client, viewer, finance_manager, stored, django_capture_on_commit_callbacks):  # noqa: F811
    token = Token.objects.create(user=viewer)
    TokenProjectLimit.objects.create(token=token, project="monetix")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_capture_on_commit_callbacks(execute=True):
        url = api_client.get(URL, {"format": "xlsx"}).json()["data"]["url"]
    header, *rows = _rows(b"".join(api_client.get(url).streaming_content))
    assert len(rows) == 15 and {row[EXPORT_FIELDS.index("project")] for row in rows} == {"monetix"}

    api_client.credentials()
    api_client.force_authenticate(finance_manager)  # another user
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(viewer)  # the same user, without the token's limits: not this file
    assert api_client.get(url).status_code == 404


@pytest.mark.usefixtures("small_bound", "eager")
def test_the_admins_export_button_links_to_the_file_a_worker_writes(
        client, viewer, stored, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/admin/transactions/transaction/export/", {"format": "xlsx", "project": "monetix"},
                              follow=True)
    prepared = PreparedFile.objects.get()
    assert f'href="/api/v1/files/{prepared.pk}"' in response.content.decode()
    header, *rows = _rows(b"".join(client.get(f"/api/v1/files/{prepared.pk}").streaming_content))
    assert len(rows) == 15 and prepared.status == "ready"


def test_an_unknown_file_is_a_404_in_the_envelope(api_client, viewer):
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/files/999999")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"
