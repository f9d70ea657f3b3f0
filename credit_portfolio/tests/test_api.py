"""/api/v1/credit-portfolio/: access per role and department, the analytics against the sandbox's truth,
caching by access, exports and the preview upload."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from common.cache import counters
from common.models import UserProfile
from common.roles import FINANCE_MANAGER, VIEWER
from credit_portfolio.choices import CREDIT_PORTFOLIO, FileKind
from credit_portfolio.models import Expense, ImportLog, Organization, Receipt, RepaymentDetail
from credit_portfolio.sandbox.server import DROPPED_AT, FtpSandbox, publish
from credit_portfolio.sandbox.truth import world_truth
from credit_portfolio.sandbox.world import ORGANIZATIONS, World
from credit_portfolio.tests.test_import import run_import

pytestmark = pytest.mark.django_db(transaction=True)

WORLD = World(seed=5, size=60)
BASE = "/api/v1/credit-portfolio"


@pytest.fixture
def ftp():
    sandbox = FtpSandbox().start()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def imported(ftp):
    publish(WORLD, ftp.root, fmt="xlsx")
    assert run_import(ftp).status == "succeeded"
    return ftp


def _user(django_user_model, name, role, department=""):
    user = django_user_model.objects.create_user(username=name, password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if department:
        UserProfile.objects.create(user=user, department=department)
    return user


def get(client, path: str, params=None):
    """The answer's ``data``, its numbers read as Decimal (the API writes money exactly)."""
    response = client.get(f"{BASE}/{path}", params or {})
    assert response.status_code == 200, response.content
    return json.loads(response.content, parse_float=Decimal)["data"]


@pytest.fixture
def finance_reader(django_user_model):
    return _user(django_user_model, "finance-manager", FINANCE_MANAGER, department="Finance")


@pytest.mark.parametrize(("role", "department", "expected"), [
    (FINANCE_MANAGER, "finance", 200), (FINANCE_MANAGER, "sales", 403), (FINANCE_MANAGER, "", 403),
    (VIEWER, "finance", 403)])
def test_access_follows_the_role_and_the_department(api_client, django_user_model, role, department, expected):
    api_client.force_authenticate(_user(django_user_model, "someone", role, department))
    response = api_client.get(f"{BASE}/summary")
    assert response.status_code == expected
    if expected == 403:
        assert response.json()["error"]["code"] and "finance department" in response.json()["error"]["message"]


def test_finance_admins_see_it_whatever_their_department_and_anonymous_callers_do_not(api_client, finance_admin):
    assert api_client.get(f"{BASE}/summary").status_code in (401, 403)
    api_client.force_authenticate(finance_admin)
    assert api_client.get(f"{BASE}/summary").status_code == 200


def test_running_and_previewing_are_for_finance_admins_only(api_client, finance_reader):
    api_client.force_authenticate(finance_reader)
    assert api_client.post(f"{BASE}/imports").status_code == 403
    assert api_client.post(f"{BASE}/imports/preview", {"file": io.BytesIO(b"x")}, format="multipart").status_code == 403
    assert api_client.get(f"{BASE}/imports").status_code == 200


def test_the_summary_equals_the_truth(api_client, finance_reader, imported):
    truth = world_truth(WORLD)
    api_client.force_authenticate(finance_reader)
    data = get(api_client, "summary")
    assert (data["received"], data["paid"], data["principal"], data["interest"]) == (
        Decimal(truth["receipts"]["total"]), Decimal(truth["expenses"]["total"]),
        Decimal(truth["principal"]["total"]), Decimal(truth["interest"]["total"]))
    assert data["net"] == Decimal(truth["receipts"]["total"]) - Decimal(truth["expenses"]["total"])
    assert data["active_contracts"] == 9


def test_org_efficiency_counts_each_repayment_once(api_client, finance_reader, imported):
    truth = world_truth(WORLD)
    api_client.force_authenticate(finance_reader)
    rows = {r["organization"]: r for r in get(api_client, "org-efficiency")}
    assert set(rows) == set(ORGANIZATIONS)
    for name, row in rows.items():
        principal, interest = Decimal(truth["principal"]["by_organization"][name]), Decimal(
            truth["interest"]["by_organization"][name])
        received = Decimal(truth["receipts"]["by_organization"][name])
        # A repayment with two principal lines is still one repayment, paid once.
        assert row["paid"] == Decimal(truth["expenses"]["by_organization"][name])
        assert row["repayments"] == Expense.objects.filter(organization__name=name).count()
        assert row["efficiency"] == (principal * 100 / (principal + interest)).quantize(Decimal("0.01"))
        assert row["debt_ratio"] == ((received - principal) * 100 / received).quantize(Decimal("0.01"))
    assert RepaymentDetail.objects.count() > Expense.objects.count() * 2  # the twins are there


def test_monthly_answers_and_filters(api_client, finance_reader, imported):
    truth = world_truth(WORLD)
    api_client.force_authenticate(finance_reader)
    stats = get(api_client, "monthly-stats")
    assert {r["month"]: r["receipts"] for r in stats if r["receipts"]} == {
        month: Decimal(v) for month, v in truth["receipts"]["by_month"].items()}
    flow = get(api_client, "cashflow-monthly")
    assert flow[-1]["cumulative"] == Decimal(truth["receipts"]["total"]) - Decimal(truth["expenses"]["total"])
    [march] = get(api_client, "monthly-efficiency", {"from": "2025-03-01", "to": "2025-03-31"})
    assert (march["month"], march["principal"], march["interest"]) == (
        "2025-03", Decimal(truth["principal"]["by_month"]["2025-03"]),
        Decimal(truth["interest"]["by_month"]["2025-03"]))
    org = Organization.objects.get(name=ORGANIZATIONS[1])
    only = get(api_client, "summary", {"organization": org.pk})
    assert only["received"] == Decimal(truth["receipts"]["by_organization"][ORGANIZATIONS[1]])
    years = get(api_client, "yearly-comparison")
    assert [y["year"] for y in years] == [2025] and years[0]["received_growth"] is None
    page = api_client.get(f"{BASE}/contracts", {"limit": 4, "page": 3}).json()
    assert page["meta"] == {"page": 3, "limit": 4, "total": 9, "total_pages": 3} and len(page["data"]) == 1
    bad = api_client.get(f"{BASE}/summary", {"from": "2025-02-30", "bank": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"


def test_cached_answers_are_keyed_by_access_and_an_import_that_changes_something_invalidates(
        api_client, finance_reader, finance_admin, imported):
    def misses():
        return counters.misses.get(CREDIT_PORTFOLIO, 0)

    api_client.force_authenticate(finance_admin)
    first = get(api_client, "summary")
    before = misses()
    api_client.force_authenticate(finance_reader)
    assert get(api_client, "summary") == first
    assert misses() == before + 1  # not the admin's entry
    api_client.get(f"{BASE}/summary")
    assert misses() == before + 1  # the reader's own entry
    corrected = World(seed=WORLD.seed, size=WORLD.size, revision=1)
    publish(corrected, imported.root, fmt="xlsx", only=(0, FileKind.RECEIPTS), dropped_at=DROPPED_AT + 86_400)
    run_import(imported)
    after = get(api_client, "summary")
    assert after["received"] == Decimal(world_truth(corrected)["receipts"]["total"]) != first["received"]


def test_xlsx_export_and_the_pdf_rendered_by_a_worker(api_client, finance_reader, imported):
    from openpyxl import load_workbook

    from common.prepared_files import prepared_file_render

    api_client.force_authenticate(finance_reader)
    response = api_client.get(f"{BASE}/export", {"answer": "org-efficiency", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("organization_id", "organization", "paid") and len(rows) == 4
    queued = api_client.get(f"{BASE}/export", {"answer": "summary", "format": "pdf"})
    assert queued.status_code == 202 and queued.json()["data"]["state"] == "queued"
    prepared_file_render(file_id=queued.json()["data"]["id"])  # what the worker does (run here, in this process)
    ready = api_client.get(queued.json()["data"]["url"])
    assert ready.status_code == 200 and b"".join(ready.streaming_content).startswith(b"%PDF")
    again = api_client.get(f"{BASE}/export", {"answer": "summary", "format": "pdf"})  # the same data: the same file
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"


def test_the_preview_reports_layout_rows_and_problems_and_writes_nothing(api_client, finance_admin, tmp_path):
    [path] = publish(WORLD, tmp_path, fmt="xls", only=(1, FileKind.RECEIPTS))
    api_client.force_authenticate(finance_admin)
    with path.open("rb") as upload:
        response = api_client.post(f"{BASE}/imports/preview", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["readable"], data["kind"], data["header_row"], data["rows_with_problems"]) == (
        True, "receipts", 4, 0)
    amount = next(c for c in data["columns"] if c["field"] == "amount")
    assert amount == {"field": "amount", "header": "Сумма документа", "confidence": 0.9, "expected_type": "money",
                      "suggested_type": "money"}
    assert data["rows_found"] == len(list(WORLD.receipts(1))) and len(data["rows"]) == min(20, data["rows_found"])
    assert "Комиссия" in data["missing_optional"]
    assert not (Receipt.objects.exists() or ImportLog.objects.exists())


def test_the_preview_of_a_bad_file_names_the_problem(api_client, finance_admin):
    api_client.force_authenticate(finance_admin)
    upload = io.BytesIO(b"PK\x03\x04 not really")
    upload.name = "ООО Альфа Финанс - Postuplenie(kredity) XLSX.xlsx"
    data = api_client.post(f"{BASE}/imports/preview", {"file": upload}, format="multipart").json()["data"]
    assert data["readable"] is False and "not a readable workbook" in data["problems"][0]


def test_the_preview_takes_multipart_within_its_bound_only(api_client, finance_admin, settings):
    settings.CREDIT_PORTFOLIO_PREVIEW_MAX_BYTES = 1_000
    api_client.force_authenticate(finance_admin)
    upload = io.BytesIO(b"x" * 5_000)
    upload.name = "big.xlsx"
    too_big = api_client.post(f"{BASE}/imports/preview", {"file": upload}, format="multipart")
    assert too_big.status_code == 400 and "larger than 1000 bytes" in too_big.json()["error"]["message"]
    assert api_client.post(f"{BASE}/imports/preview", {"file": "x"}, format="json").status_code == 415
    assert api_client.post(f"{BASE}/imports/preview", {}, format="multipart").status_code == 400


def test_the_summary_as_xlsx_says_what_its_figures_count(api_client, finance_reader):
    from openpyxl import load_workbook

    api_client.force_authenticate(finance_reader)
    response = api_client.get(f"{BASE}/export", {"answer": "summary", "format": "xlsx"})
    rows = dict(list(load_workbook(io.BytesIO(response.content)).active.values)[1:])
    assert rows["received"] == 0 and "contracts with a receipt or a repayment" in rows["notes"]


def test_the_pdf_report_is_the_shared_layout_turned_landscape():
    from django.template.loader import render_to_string
    from django.utils import timezone

    html = render_to_string("credit_portfolio/report.html", {
        "title": "Summary", "params": {"first": "2026-01-01", "last": ""}, "headers": ["organization", "paid"],
        "rows": [], "generated_at": timezone.now()})
    assert "Finance operations hub" in html  # report_base.html's footer
    assert "@page { size: A4 landscape; }" in html
    assert "Period 2026-01-01 – today" in html and "Nothing in this period." in html
