from datetime import UTC, datetime

import pytest
import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import build_row
from transactions.models import ProjectMapping, Transaction
from transactions.resources import ProjectMappingResource
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/transactions/transaction/"
EXPORT = "/admin/transactions/transaction/export/"
MAPPINGS = "/admin/transactions/projectmapping/"


@pytest.fixture
def admin_client(client, finance_admin):
    client.force_login(finance_admin)
    return client


@pytest.fixture
def stored():
    """Five stored rows: in January two successful Vima pay-ins, a failed one and a PayShack one; one in February."""
    rows = {
        "ok-1": build_row(source_id="ok-1", client_operation_id="order-a"),
        "ok-2": build_row(source_id="ok-2", client_operation_id="order-b"),
        "failed": build_row(source_id="failed", status="failed"),
        "payshack": build_row(source="payshack", source_id="payshack"),
        "february": build_row(source_id="february", created_at=datetime(2026, 2, 3, 9, 30, tzinfo=UTC)),
    }
    transactions_upsert(rows=rows.values())
    return rows


def _listed(response):
    assert response.status_code == 200
    return sorted(obj.source_id for obj in response.context["cl"].result_list)


def test_changelist_filters_searches_and_drills_down_by_date(admin_client, stored):
    assert _listed(admin_client.get(CHANGELIST)) == ["failed", "february", "ok-1", "ok-2", "payshack"]
    assert _listed(admin_client.get(CHANGELIST, {"source": "vima", "status": "success"})) == [
        "february",
        "ok-1",
        "ok-2",
    ]
    assert _listed(admin_client.get(CHANGELIST, {"q": "order-b"})) == ["ok-2"]
    assert _listed(admin_client.get(CHANGELIST, {"q": "no-such-order"})) == []
    assert _listed(admin_client.get(CHANGELIST, {"q": "ok-1"})) == ["ok-1"]
    # Not an indexed key: found by the fallback search over payer fields.
    assert _listed(admin_client.get(CHANGELIST, {"q": stored["failed"].user_email})) == ["failed"]
    by_id = str(Transaction.objects.get(source_id="payshack").pk)
    assert _listed(admin_client.get(CHANGELIST, {"q": by_id})) == ["payshack"]
    january = {"created_at__year": "2026", "created_at__month": "1"}
    assert _listed(admin_client.get(CHANGELIST, january)) == ["failed", "ok-1", "ok-2", "payshack"]
    assert _listed(admin_client.get(CHANGELIST, {"created_at__year": "2026", "created_at__month": "2"})) == ["february"]


def test_change_page_is_view_only_with_money_formatted_and_the_raw_record_pretty_and_folded(admin_client, stored):
    transaction = Transaction.objects.get(source_id="ok-1")
    response = admin_client.get(f"{CHANGELIST}{transaction.pk}/change/")
    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="_continue"' not in html  # nothing to save on a read-only page
    assert '<span class="money">1,500.00 INR</span>' in html and "1500.0000" not in html
    raw = transaction.raw_data["operation_id"]
    assert '<details class="raw-record"><summary>as vima sent it' in html
    assert f'\n  &quot;operation_id&quot;: {raw}' in html  # one key a line, indented


def test_transactions_cannot_be_added_or_deleted(admin_client, stored):
    transaction = Transaction.objects.get(source_id="ok-1")
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{transaction.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Transaction.objects.count() == 5


def _format_index(form, title):
    return next(value for value, label in form.fields["format"].choices if label == title)


def test_export_streams_the_filtered_changelist_as_csv(admin_client, stored):
    filters = "source=vima&status=success&created_at__year=2026&created_at__month=1"
    assert f'{EXPORT}?{filters.replace("&", "&amp;")}&amp;format=csv' in admin_client.get(
        f"{CHANGELIST}?{filters}").content.decode()  # the changelist's button carries its filters
    response = admin_client.get(f"{EXPORT}?{filters}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["id", "source", "source_id", "reference_id"]
    picked = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    assert [(row["source_id"], row["amount"], row["status"]) for row in picked] == [
        ("ok-1", "1500.0000", "success"), ("ok-2", "1500.0000", "success")]  # oldest first, as every export


def test_export_refuses_an_unknown_format(admin_client, stored):
    assert admin_client.get(f"{EXPORT}?format=pdf").status_code == 400


@pytest.fixture
def no_mappings():
    """Start without the mapping migration 0003 seeds, so imports are counted from nothing."""
    ProjectMapping.objects.all().delete()


MAPPING_CSV = "source,provider_name,project,note\npayshack,91G_TECH_PVT_LTD,91game,\npayshack,MONETIX_LTD,monetix,new\n"


@pytest.mark.usefixtures("no_mappings")
def test_project_mappings_import_through_the_admin(admin_client):
    ProjectMapping.objects.create(source="payshack", provider_name="91G_TECH_PVT_LTD", project="old-slug")
    form = admin_client.get(f"{MAPPINGS}import/").context["form"]
    upload = SimpleUploadedFile("mappings.csv", MAPPING_CSV.encode(), content_type="text/csv")
    preview = admin_client.post(
        f"{MAPPINGS}import/", {"resource": "0", "format": _format_index(form, "csv"), "import_file": upload}
    )
    assert preview.status_code == 200
    assert ProjectMapping.objects.get().project == "old-slug"  # the first step is a dry run
    confirm = preview.context["confirm_form"].initial
    response = admin_client.post(f"{MAPPINGS}process_import/", confirm, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Import finished: 1 new, 1 updated, 0 deleted and 0 skipped project mappings."
    ]
    assert sorted(ProjectMapping.objects.values_list("provider_name", "project", "note")) == [
        ("91G_TECH_PVT_LTD", "91game", ""),
        ("MONETIX_LTD", "monetix", "new"),
    ]


@pytest.mark.usefixtures("no_mappings")
def test_project_mapping_resource_counts_new_updated_and_skipped():
    ProjectMapping.objects.create(source="payshack", provider_name="91G_TECH_PVT_LTD", project="91game")
    ProjectMapping.objects.create(source="payshack", provider_name="OLD_NAME", project="old")
    dataset = tablib.Dataset(headers=["source", "provider_name", "project", "note"])
    dataset.append(["payshack", "91G_TECH_PVT_LTD", "91game", ""])
    dataset.append(["payshack", "OLD_NAME", "renamed", ""])
    dataset.append(["vima", "91G_TECH_PVT_LTD", "91game", "same name, other source"])
    result = ProjectMappingResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (1, 1, 1)
    assert sorted(ProjectMapping.objects.values_list("source", "provider_name", "project")) == [
        ("payshack", "91G_TECH_PVT_LTD", "91game"),
        ("payshack", "OLD_NAME", "renamed"),
        ("vima", "91G_TECH_PVT_LTD", "91game"),
    ]


@pytest.mark.usefixtures("no_mappings")
def test_viewer_cannot_import_project_mappings(client, viewer):
    client.force_login(viewer)
    assert client.get(f"{MAPPINGS}import/").status_code == 403
    upload = SimpleUploadedFile("mappings.csv", MAPPING_CSV.encode(), content_type="text/csv")
    response = client.post(f"{MAPPINGS}import/", {"resource": "0", "format": "0", "import_file": upload})  # 0: CSV
    assert response.status_code == 403
    assert ProjectMapping.objects.count() == 0


def test_the_list_says_more_than_the_cap_when_the_count_passes_it(admin_client, stored, monkeypatch):
    """The cap is lowered to 4 so that five rows pass it (the admin's code path is the one of 10,000)."""
    monkeypatch.setattr("common.paginators.COUNT_CAP", 4)
    html = admin_client.get(CHANGELIST).content.decode()
    assert "more than 4 transactions" in html
    assert "5 transactions" not in html
    assert '<span class="money">1,500.00 INR</span>' in html
