"""Each change invalidates exactly the cached answers it moves, and a cached answer is fresh after it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.cache import namespace_version, namespace_versions
from conftest import build_row
from lending.demo import demo_write
from lending.services import loan_book_load
from planning.cache_namespaces import NAMESPACES
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumped(django_capture_on_commit_callbacks):
    """bumped(change) → the namespaces whose version ``change()`` moved once it committed (the test's
    transaction never commits: its on-commit callbacks are run as a commit would run them)."""

    def run(change) -> set[str]:
        for namespace in NAMESPACES:
            namespace_version(namespace)  # a version to compare against
        before = namespace_versions(list(NAMESPACES))
        with django_capture_on_commit_callbacks(execute=True):
            change()
        after = namespace_versions(list(NAMESPACES))
        return {namespace for namespace in NAMESPACES if after[namespace] != before[namespace]}

    return run


def _import(client, text: str):
    upload = SimpleUploadedFile("plans.csv", text.encode("utf-8"))
    response = client.post("/api/v1/planning/plans/import", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content


def test_a_plan_import_bumps_the_answers_of_its_categories_only(api_client, finance_manager, bumped):
    api_client.force_authenticate(finance_manager)
    assert bumped(lambda: _import(api_client, "month,category_name,sum\n2026-01-01,видача,5\n")) == {
        "planning.year", "planning.plans"}
    assert bumped(lambda: _import(api_client, "month,category_name,sum\n2026-01-01,тіло,5\n")) == {"planning.plans"}
    assert bumped(lambda: _import(api_client, "month,category_name,sum,project\n"
                                              "2026-01-01,pay-in volume,5,91game\n")) == {"planning.volumes"}


def test_a_preview_or_a_refused_file_bumps_nothing(api_client, finance_manager, bumped):
    api_client.force_authenticate(finance_manager)
    bad = SimpleUploadedFile("plans.csv", b"month,category_name,sum\n2026-01-01,x,5\n")
    good = SimpleUploadedFile("plans.csv", b"month,category_name,sum\n2026-01-01,\xd0\xb7\xd0\xb1\xd1\x96\xd1\x80,5\n")
    url = "/api/v1/planning/plans/import"
    assert bumped(lambda: api_client.post(url, {"file": bad}, format="multipart")) == set()
    assert bumped(lambda: api_client.post(url, {"file": good, "preview": "true"}, format="multipart")) == set()


def test_a_cached_year_performance_shows_a_plan_imported_after_it(api_client, finance_manager,
                                                                   django_capture_on_commit_callbacks):
    api_client.force_authenticate(finance_manager)
    url = "/api/v1/planning/year-performance?year=2026"
    assert api_client.get(url).json()["data"]["months"][0]["issuance"]["plan"] is None
    with django_capture_on_commit_callbacks(execute=True):
        _import(api_client, "month,category_name,sum\n2026-01-01,видача,1234.50\n")
    assert api_client.get(url).json()["data"]["months"][0]["issuance"]["plan"] == 1234.5


def test_a_loan_book_load_bumps_the_loan_book_answers_and_a_sync_the_volumes(tmp_path, bumped):
    demo_write(directory=tmp_path, seed=2, size=20)
    assert bumped(lambda: loan_book_load(directory=tmp_path, currency="UAH")) == set(NAMESPACES) - {
        "planning.volumes"}
    # The upsert leaves equal rows alone on both databases: a re-load of the same files bumps nothing.
    assert bumped(lambda: loan_book_load(directory=tmp_path, currency="UAH")) == set()
    assert bumped(lambda: transactions_upsert(rows=[build_row(amount=Decimal("10.00"))])) == {"planning.volumes"}


def test_a_cached_borrower_answer_follows_a_load(api_client, viewer, tmp_path, django_capture_on_commit_callbacks):
    api_client.force_authenticate(viewer)
    (tmp_path / "a").mkdir()
    demo_write(directory=tmp_path / "a", seed=2, size=20)
    with django_capture_on_commit_callbacks(execute=True):
        loan_book_load(directory=tmp_path / "a", currency="UAH")
    url = "/api/v1/lending/borrowers/1/credits?date=2027-01-01"
    before = api_client.get(url).json()["data"]["credits"]
    credits = (tmp_path / "a" / "credits.csv").read_text().splitlines()
    first = next(line for line in credits[1:] if line.split("\t")[1] == "1")
    changed = first.split("\t")
    changed[6] = "0.01"  # the accrued interest of borrower 1's first credit
    (tmp_path / "a" / "credits.csv").write_text("\n".join([credits[0], *[("\t".join(changed) if line == first
                                                                          else line) for line in credits[1:]]]) + "\n")
    with django_capture_on_commit_callbacks(execute=True):
        loan_book_load(directory=tmp_path / "a", currency="UAH")
    after = api_client.get(url).json()["data"]["credits"]
    assert [c["interest"] for c in after if c["id"] == int(changed[0])] == [0.01]
    assert len(after) == len(before)
    assert date.fromisoformat(after[0]["issued_on"]) <= date(2027, 1, 1)
