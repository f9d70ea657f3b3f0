"""PayShack through its web portal, in the system's Chromium, against the sandbox's portal."""

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from integrations.choices import RunStatus
from integrations.core.runner import sync_run
from integrations.models import SyncEvidence, SyncState
from integrations.sandbox.truth import world_truth
from transactions.models import Transaction

from .conftest import EMAIL, api_source, portal_source
from .test_sync import stored_totals

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("payshack_mapping")]


def stored_hashes() -> set[tuple[str, str]]:
    return set(Transaction.objects.filter(source="payshack").values_list("source_id", "data_hash"))


def test_portal_and_api_syncs_of_one_world_store_the_same_rows_and_both_equal_the_truth(payshack, world, clock):
    server = payshack()
    portal_run = sync_run(source=portal_source(server, clock), trigger="command", mode="portal")
    assert portal_run.status == RunStatus.SUCCEEDED, portal_run.error
    assert stored_totals() == world_truth(world, now=clock.now())["payshack"]
    through_portal = stored_hashes()

    Transaction.objects.all().delete()
    SyncState.objects.all().delete()
    api_run = sync_run(source=api_source(server, clock), trigger="command", mode="api")
    assert api_run.status == RunStatus.SUCCEEDED, api_run.error
    assert stored_hashes() == through_portal
    assert len(through_portal) == world_truth(world, now=clock.now())["payshack"]["total"]


def test_the_portal_session_is_kept_and_reused_until_it_expires(payshack, clock, tmp_path):
    server = payshack()
    # The browser runs in the sync's reader process: the store must be shared between processes, as the
    # product's caches are (files, or Redis); the tests' local-memory cache is per process.
    store = FileBasedCache(str(tmp_path / "sessions"), {})
    sync_run(source=portal_source(server, clock, session_store=store), trigger="command", mode="portal")
    assert server.app.portal_logins == 1
    sync_run(source=portal_source(server, clock, session_store=store), trigger="command", mode="portal")
    assert server.app.portal_logins == 1  # the second run reused the first one's session


def test_a_changed_layout_fails_with_evidence_and_keeps_the_windows_finished_before(payshack, clock):
    server = payshack()

    def redesign_after_first_window(run, page):
        server.app.layout = "renamed-column"

    run = sync_run(source=portal_source(server, clock), trigger="command", mode="portal",
                   on_batch=redesign_after_first_window)
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("portal layout changed: column 'Order ID' is missing from the payin table")
    evidence = {item.name: item.file.read() for item in SyncEvidence.objects.filter(run=run)}
    assert set(evidence) == {"screenshot.png", "page.html"}
    assert evidence["screenshot.png"].startswith(b"\x89PNG") and b"Merchant Order Ref" in evidence["page.html"]
    state = SyncState.objects.get(source="payshack", stream="payin")
    assert state.window_end is not None  # the first window stayed committed
    assert Transaction.objects.filter(source="payshack", created_at__lt=state.window_end).count() == run.inserted


def test_a_moved_table_is_named_in_the_error(payshack, clock):
    server = payshack(layout="moved-table")
    run = sync_run(source=portal_source(server, clock), trigger="command", mode="portal")
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("portal layout changed: no transactions table (table#transactions) on the payin page")
    assert SyncEvidence.objects.filter(run=run).count() == 2


def test_a_wrong_portal_password_fails_clearly_and_writes_nothing(payshack, clock):
    server = payshack()
    run = sync_run(source=portal_source(server, clock, password="wrong"), trigger="command", mode="portal")
    assert run.status == RunStatus.FAILED
    assert run.error == f"payshack portal rejected the login for {EMAIL}: Invalid email or password"
    assert not Transaction.objects.exists()


def test_a_portal_session_that_ends_mid_walk_is_renewed_and_the_walk_goes_on(payshack, world, clock):
    server = payshack(token_ttl_s=1.0)
    source = portal_source(server, clock)
    run = sync_run(source=source, trigger="command", mode="portal")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert server.app.portal_logins > 1
    assert stored_totals() == world_truth(world, now=clock.now())["payshack"]
