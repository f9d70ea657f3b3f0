"""The demo in one shot: both provider sandboxes in this process, a full sync of each, the demo days
reconciled, and a summary to hold against the sandbox world's ground truth (``sandbox.truth``)."""

from datetime import date, datetime, timedelta

from django.db.models import Count

from integrations.core.runner import sync_run
from integrations.payshack.client import PayShackClient, PayShackCredentials
from integrations.payshack.config import payshack_context
from integrations.payshack.sandbox.app import PayShackSandbox
from integrations.payshack.sync import ApiFetcher, PayShackSource, WindowPolicy
from integrations.sandbox.clock import Clock
from integrations.sandbox.server import SandboxServer
from integrations.sandbox.world import World
from integrations.vima.client import VimaSettings
from integrations.vima.sandbox import BASE_PATH, VimaSandbox
from integrations.vima.sync import VimaSource
from reconciliation.services import reconciliation_run
from transactions.models import Transaction

# The sandboxes' own demo credentials (`manage.py sandbox serve` defaults); they never leave this process.
VIMA_KEY = "sandbox-key"
PAYSHACK_EMAIL, PAYSHACK_PASSWORD = "finance@91game.example", "sandbox-password"


def demo_world(*, seed: int, size: int, days: int, today: date) -> World:
    """The ``days`` whole UTC days before ``today``: a finished world, so yesterday has its reconciliation and
    every payment has reached the final state that the ground truth classifies."""
    return World(seed=seed, size=size, start=today - timedelta(days=days), days=days)


def settled_at(world: World) -> datetime:
    """When the world has settled: a day after its end, past every late status change and settlement lag
    (``sandbox truth --start`` looks at the same instant)."""
    return world.end + timedelta(days=1)


def demo_once(*, world: World) -> dict:
    """Serve ``world`` as both providers on free loopback ports with time stopped once it has settled, sync
    both through the shared runner, reconcile every demo day; returns runs, stored counts and counts per class."""
    now = settled_at(world)
    clock = Clock(now)  # the sandboxes, the syncs and the ground truth all see the same instant
    vima = SandboxServer(VimaSandbox(world, api_key=VIMA_KEY, clock=clock)).start_in_thread()
    payshack = SandboxServer(PayShackSandbox(world, email=PAYSHACK_EMAIL, password=PAYSHACK_PASSWORD,
                                             clock=clock)).start_in_thread()
    try:
        runs = {
            "vima": sync_run(source=VimaSource(VimaSettings(base_url=vima.url + BASE_PATH, api_key=VIMA_KEY)),
                             trigger="command"),
            "payshack": sync_run(source=_payshack_source(payshack.url, now=now, days=world.days), trigger="command"),
        }
    finally:
        vima.stop()
        payshack.stop()
    first, last = world.start.date(), (world.end - timedelta(days=1)).date()
    run = reconciliation_run(date_from=first, date_to=last)
    return {"now": now.isoformat(), "syncs": {name: _sync_summary(r) for name, r in runs.items()},
            "stored": _stored(),
            "reconciliation": {"run_id": run.pk, "from": first.isoformat(), "to": last.isoformat(),
                               "status": run.status, "counts": run_counts(run.pk)},
            "ledger": demo_ledger(first=first, last=last)}


def demo_ledger(*, first: date, last: date) -> dict:
    """Post the demo days to the ledger (the difference only: what realtime posting already did stays), then
    the trial balance per currency and a GL reconciliation of the last day."""
    from ledger.selectors import trial_balance
    from ledger.services.posting import ledger_post
    from ledger.services.reconciliation import gl_reconcile_by_system

    posted = ledger_post(date_from=first, date_to=last, auto_post=True)
    _, totals = trial_balance(as_of=last)
    gl_run = gl_reconcile_by_system(as_of=last)
    statuses = [result.status for result in gl_run.results.all()]
    return {"vouchers": len(posted.vouchers), "refused": posted.refused,
            "trial_balance": {currency: str(total) for currency, total in sorted(totals.items())},
            "gl_run_id": gl_run.pk, "gl": {status: statuses.count(status) for status in sorted(set(statuses))}}


def _payshack_source(url: str, *, now: datetime, days: int) -> PayShackSource:
    client = PayShackClient(api_url=url, credentials=PayShackCredentials(PAYSHACK_EMAIL, PAYSHACK_PASSWORD),
                            timeout_s=30)
    # Back from ``now`` (a day after the world's end) to before its start: the world starts at UTC midnight,
    # 05:30 into an IST day.
    return PayShackSource(ApiFetcher(client), context=payshack_context(), now=now,
                          policy=WindowPolicy(initial_days=days + 2))


def _sync_summary(run) -> dict:
    return {"status": run.status, "inserted": run.inserted, "updated": run.updated, "unchanged": run.unchanged,
            "quarantined": run.quarantined, "error": run.error}


def _stored() -> dict[str, int]:
    counts = dict(Transaction.objects.values_list("source").annotate(n=Count("id")).order_by())
    return {source: counts.get(source, 0) for source in ("vima", "payshack")}


def run_counts(run_id: int) -> dict[str, int]:
    from reconciliation.choices import ResultType
    from reconciliation.models import ReconciliationResult

    counts = dict(ReconciliationResult.objects.filter(run_id=run_id).values_list("result_type")
                  .annotate(n=Count("id")).order_by())
    return {klass: counts.get(klass, 0) for klass in ResultType.values}
