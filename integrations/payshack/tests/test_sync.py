"""PayShack through its JSON API against the sandbox: windows, truth, tokens, credentials, metadata."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from integrations.choices import RunStatus
from integrations.conftest import TEST_RETRY
from integrations.core.accounts import metadata_run
from integrations.core.runner import sync_run
from integrations.core.source import backfill_stream
from integrations.models import BalanceSnapshot, ProviderAccount, SyncState
from integrations.payshack.client import PayShackClient, PayShackCredentials
from integrations.payshack.metadata import read_accounts
from integrations.payshack.sandbox.ledger import CLIENT_ID
from integrations.sandbox.faults import Faults
from integrations.sandbox.truth import world_truth
from transactions.models import Transaction

from .conftest import EMAIL, PASSWORD, api_source

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("payshack_mapping")]


def stored_totals() -> dict:
    """What the database holds for PayShack, in the shape of the sandbox's ground truth."""
    rows = Transaction.objects.filter(source="payshack")
    amounts = dict(rows.values_list("currency").annotate(Sum("amount")).order_by("currency"))
    return {
        "total": rows.count(),
        "by_project": dict(rows.values_list("project").annotate(Count("id")).order_by("project")),
        "by_status": dict(rows.values_list("status").annotate(Count("id")).order_by("status")),
        "amount_by_currency": {currency: str(total.quantize(Decimal("0.01"))) for currency, total in amounts.items()},
    }


def test_an_api_sync_stores_exactly_the_ground_truth_and_a_rerun_changes_nothing(payshack, world, clock):
    server = payshack()
    run = sync_run(source=api_source(server, clock), trigger="command", mode="api")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert stored_totals() == world_truth(world, now=clock.now())["payshack"]
    assert run.inserted == stored_totals()["total"] and run.quarantined == 0

    again = sync_run(source=api_source(server, clock), trigger="command", mode="api")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, again.fetched)


def test_windows_commit_with_their_position_and_the_next_run_reads_from_the_look_back(payshack, clock):
    server = payshack()
    sync_run(source=api_source(server, clock), trigger="command")
    states = {state.stream: state.window_end for state in SyncState.objects.filter(source="payshack")}
    assert set(states) == {"payin", "payout"}
    assert states["payin"] == clock.now()  # today's window ends at "now"
    pages_before = server.app.tokens.issued
    rerun = sync_run(source=api_source(server, clock), trigger="command")
    # Only today and yesterday (the 24-hour look-back) are read again: two IST days, both kinds.
    assert rerun.cursor_before["payin"]["window_end"] == clock.now().isoformat()
    assert rerun.pages == 4 and server.app.tokens.issued == pages_before + 1


def test_a_token_that_expires_mid_sync_is_renewed_with_no_gap(payshack, world, clock):
    server = payshack(token_ttl_s=0.15, faults=Faults(latency_ms=20))
    source = api_source(server, clock)
    run = sync_run(source=source, trigger="command")
    assert run.status == RunStatus.SUCCEEDED, run.error
    # The client renews in the sync's reader process: the provider's side is where the renewal shows.
    assert server.app.tokens.refreshed >= 1
    assert stored_totals() == world_truth(world, now=clock.now())["payshack"]


def test_a_wrong_password_fails_the_run_clearly_and_writes_nothing(payshack, clock):
    server = payshack()
    run = sync_run(source=api_source(server, clock, password="wrong"), trigger="command")
    assert run.status == RunStatus.FAILED
    assert run.error == f"payshack rejected the login for {EMAIL}: wrong email or password (HTTP 401)"
    assert not Transaction.objects.exists() and not SyncState.objects.filter(window_end__isnull=False).exists()


def test_a_failure_keeps_finished_windows_and_the_rerun_resumes_at_the_first_unfinished_one(payshack, world, clock):
    server = payshack()
    run = sync_run(source=api_source(server, clock), trigger="command", max_pages=5)
    assert run.status == RunStatus.SUCCEEDED  # stopped early, as a crash would, after 5 pages
    stopped_at = SyncState.objects.get(source="payshack", stream="payin").window_end
    assert stopped_at is not None and stopped_at < clock.now()
    sync_run(source=api_source(server, clock), trigger="command")
    assert stored_totals() == world_truth(world, now=clock.now())["payshack"]


def test_a_backfill_reads_its_ist_days_and_resumes_on_its_own_stream(payshack, clock):
    server = payshack()
    days = (date(2026, 1, 11), date(2026, 1, 11))
    run = sync_run(source=api_source(server, clock), backfill=days, trigger="backfill")
    assert run.status == RunStatus.SUCCEEDED and run.inserted > 0
    created = Transaction.objects.filter(source="payshack").values_list("created_at", flat=True)
    # IST 2026-01-11 is 2026-01-10 18:30 … 2026-01-11 18:30 UTC.
    assert min(created).isoformat() >= "2026-01-10T18:30:00+00:00"
    assert max(created).isoformat() < "2026-01-11T18:30:00+00:00"
    state = SyncState.objects.get(source="payshack", stream=backfill_stream(*days))
    assert state.window_end.isoformat() == "2026-01-11T18:30:00+00:00"


def test_the_metadata_sync_stores_accounts_balances_and_a_snapshot_per_run(payshack, world, clock):
    server = payshack()

    def read():
        return read_accounts(PayShackClient(api_url=server.url, credentials=PayShackCredentials(EMAIL, PASSWORD),
                                            retry=TEST_RETRY))

    first = metadata_run(source="payshack", read_accounts=read, trigger="command")
    second = metadata_run(source="payshack", read_accounts=read, trigger="command")
    assert first.status == second.status == RunStatus.SUCCEEDED, first.error
    kinds = dict(ProviderAccount.objects.values_list("kind").annotate(Count("id")))
    assert kinds == {"client": 3, "reseller": 2, "service_provider": 3}
    ours = ProviderAccount.objects.get(kind="client", external_id=CLIENT_ID)
    expected = Decimal(server.app.wallet_balance_minor(clock.now())).scaleb(-2)
    assert ours.balance == expected and ours.currency == "INR"
    assert list(BalanceSnapshot.objects.filter(account=ours).values_list("run", "balance").order_by("run")) == [
        (first.pk, expected), (second.pk, expected)]
    assert (second.inserted, second.updated) == (0, 8)


def test_the_sync_command_runs_payshack_through_the_configured_api(payshack, clock, settings):
    from io import StringIO

    from django.core.management import call_command

    server = payshack()
    settings.PAYSHACK_API_URL, settings.PAYSHACK_EMAIL, settings.PAYSHACK_PASSWORD = server.url, EMAIL, PASSWORD
    settings.PAYSHACK_INITIAL_DAYS = (date.today() - date(2026, 1, 9)).days  # back to the world's first IST day
    out = StringIO()
    call_command("sync", "payshack", "--mode", "api", stdout=out)
    # The command's "now" is the real clock, later than the sandbox's frozen one: the world is all in the past.
    total = Transaction.objects.filter(source="payshack").count()
    assert out.getvalue().splitlines()[-1] == f"inserted={total} updated=0 unchanged=0 quarantined=0"
    assert total > 900
    metadata = StringIO()
    call_command("sync", "payshack", "--metadata", stdout=metadata)
    assert "8 accounts" in metadata.getvalue()


def test_an_unmapped_client_is_quarantined_and_a_retry_after_mapping_it_stores_everything(payshack, world, clock):
    from integrations.models import QuarantinedRecord
    from integrations.services import quarantine_retry
    from transactions.models import ProjectMapping

    ProjectMapping.objects.filter(source="payshack").delete()
    server = payshack()
    run = sync_run(source=api_source(server, clock), trigger="command")
    assert run.status == RunStatus.SUCCEEDED and run.inserted == 0 and run.quarantined == run.fetched
    record = QuarantinedRecord.objects.filter(run=run).first()
    assert "no project mapping for PayShack client '91G_TECH_PVT_LTD'" in record.error

    ProjectMapping.objects.create(source="payshack", provider_name="91G_TECH_PVT_LTD", project="91game")
    outcome = quarantine_retry(records=list(QuarantinedRecord.objects.filter(run=run)))
    assert outcome.still_failing == 0
    assert stored_totals() == world_truth(world, now=clock.now())["payshack"]
