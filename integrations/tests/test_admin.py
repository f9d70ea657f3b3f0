from dataclasses import replace

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from common.sources import declaration, registered
from integrations.models import QuarantinedRecord, SyncRun, SyncState
from integrations.tests.test_quarantine import normalize_vima
from transactions.models import Transaction

pytestmark = pytest.mark.django_db

QUARANTINE = "/admin/integrations/quarantinedrecord/"


@pytest.fixture
def vima_normalizer():
    # The Vima declaration with a stand-in normalizer, for this test only.
    with registered(replace(declaration("vima"), normalizer=lambda: (normalize_vima, {"projects": {}}))):
        yield


@pytest.fixture
def run():
    return SyncRun.objects.create(source="vima", started_at=timezone.now(), finished_at=timezone.now(), fetched=3)


@pytest.fixture
def quarantined(run):
    payloads = {
        "passes": {"id": "passes", "amount": "10", "project": "91game"},
        "fails": {"id": "fails", "amount": "5"},
    }
    for source_id, payload in payloads.items():
        QuarantinedRecord.objects.create(
            run=run, source="vima", source_id=source_id, raw_payload=payload, error="project is missing"
        )
    return {r.source_id: r for r in QuarantinedRecord.objects.all()}


def _listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_sync_changelists_load(client, finance_admin, run, quarantined):
    client.force_login(finance_admin)
    SyncState.objects.create(source="vima", stream="create", cursor="1042")
    assert [s.cursor for s in _listed(client, "/admin/integrations/syncstate/", source="vima")] == ["1042"]
    year = {"started_at__year": str(run.started_at.year)}
    assert _listed(client, "/admin/integrations/syncrun/", status="running", **year) == [run]
    listed = _listed(client, QUARANTINE, state="open", q="fails")
    assert listed == [quarantined["fails"]]


def _post_action(client, action, records):
    return client.post(QUARANTINE, {"action": action, "_selected_action": [r.pk for r in records]}, follow=True)


def test_retry_action_stores_what_now_passes(client, finance_admin, quarantined, vima_normalizer):
    client.force_login(finance_admin)
    response = _post_action(client, "retry", quarantined.values())
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 resolved (1 inserted, 0 updated, 0 unchanged); 1 still failing."
    ]
    assert list(Transaction.objects.values_list("source_id", flat=True)) == ["passes"]
    assert dict(QuarantinedRecord.objects.values_list("source_id", "state")) == {"passes": "resolved", "fails": "open"}
    assert QuarantinedRecord.objects.get(source_id="fails").retry_error == "NormalizationError: project is missing"


def test_manager_may_discard(client, finance_manager, quarantined):
    client.force_login(finance_manager)
    response = _post_action(client, "discard", [quarantined["fails"]])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 records discarded."]
    assert dict(QuarantinedRecord.objects.values_list("source_id", "state")) == {"passes": "open", "fails": "discarded"}


def test_viewer_cannot_run_quarantine_actions(client, viewer, quarantined, vima_normalizer):
    client.force_login(viewer)
    response = _post_action(client, "retry", quarantined.values())
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action is offered to a viewer
    assert list(get_messages(response.wsgi_request)) == []
    assert set(QuarantinedRecord.objects.values_list("state", flat=True)) == {"open"}
    assert Transaction.objects.count() == 0


def test_quarantined_records_cannot_be_added_or_edited(client, finance_admin, quarantined):
    client.force_login(finance_admin)
    record = quarantined["fails"]
    assert client.get(f"{QUARANTINE}add/").status_code == 403
    response = client.get(f"{QUARANTINE}{record.pk}/change/")
    assert response.status_code == 200
    assert response.context["adminform"].form.fields == {}


def test_a_failed_runs_evidence_is_listed_on_the_run_and_downloads_for_viewers(client, viewer, run, settings, tmp_path):
    from integrations.services import sync_evidence_store

    settings.MEDIA_ROOT = tmp_path
    stored = sync_evidence_store(run=run, files={"screenshot.png": b"\x89PNG fake", "page.html": b"<html>x</html>"})
    client.force_login(viewer)
    page = client.get(f"/admin/integrations/syncrun/{run.pk}/change/").content.decode()
    assert "screenshot.png" in page and "page.html" in page
    download = client.get(f"/admin/integrations/syncevidence/{stored[0].pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\x89PNG fake"


@pytest.mark.parametrize("page", ["provideraccount", "balancesnapshot", "syncevidence", "syncrun"])
def test_metadata_and_evidence_pages_open_for_viewers(client, viewer, page):
    client.force_login(viewer)
    assert client.get(f"/admin/integrations/{page}/").status_code == 200
