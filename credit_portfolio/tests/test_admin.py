"""The portfolio in the admin, the operations page and the dashboard: shown to its readers only."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from common.models import UserProfile
from common.roles import FINANCE_MANAGER
from credit_portfolio.choices import FileKind, ImportStatus
from credit_portfolio.models import ImportLog, Receipt
from credit_portfolio.sandbox.server import publish
from credit_portfolio.sandbox.world import World

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def finance_reader(django_user_model):
    user = django_user_model.objects.create_user(username="finance-reader", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=FINANCE_MANAGER))
    UserProfile.objects.create(user=user, department="finance")
    return user


def test_no_menu_and_403_for_a_manager_outside_the_finance_department(finance_manager):
    client = _client(finance_manager)
    home = client.get("/admin/")
    assert home.status_code == 200 and b"Credit portfolio" not in home.content
    assert client.get("/admin/credit_portfolio/importlog/").status_code == 403


def test_finance_department_managers_read_but_do_not_run_or_preview(finance_reader):
    client = _client(finance_reader)
    home = client.get("/admin/")
    assert b"Credit portfolio" in home.content and b'id="credit-portfolio"' in home.content
    assert client.get("/admin/credit_portfolio/importlog/").status_code == 200
    assert client.get("/admin/credit_portfolio/importlog/preview/").status_code == 403
    assert client.post("/admin/credit_portfolio/importlog/run/").status_code == 403


def test_a_finance_admin_previews_a_file_in_the_admin_and_nothing_is_written(finance_admin, tmp_path):
    [path] = publish(World(seed=2, size=30), tmp_path, fmt="xlsb", only=(2, FileKind.EXPENSES))
    client = _client(finance_admin)
    response = client.post("/admin/credit_portfolio/importlog/preview/",
                           {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert response.status_code == 200
    assert response.context["preview"]["kind"] == "expenses" and response.context["preview"]["rows_found"] == 10
    assert b"Looks like" in response.content
    assert not (Receipt.objects.exists() or ImportLog.objects.exists())


def test_the_operations_page_lists_each_files_latest_import(finance_admin):
    ImportLog.objects.create(file_name="ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx", status=ImportStatus.FAILED,
                             error="the workbook is password-protected")
    ImportLog.objects.create(file_name="ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx",
                             status=ImportStatus.IMPORTED, rows_read=7, inserted=6, rejected=1)
    page = _client(finance_admin).get("/admin/operations/")
    assert page.status_code == 200
    [log] = page.context["credit_portfolio"]["files"]
    assert (log.status, log.rows_read, log.rejected) == (ImportStatus.IMPORTED, 7, 1)
    assert b'id="credit-portfolio"' in page.content
