"""End-to-end throughput of PayShack syncs on PostgreSQL, through the JSON API and through the portal.

    python -m bench.payshack_sync --size 100000 [--portal-days N]

The PayShack sandbox (world seed 42, --size payments over the 7 days before today, clock frozen a
day after the world ends) runs in a process of its own. Each path starts from empty tables and
runs ``sync_run`` over the whole world (the portal path over its last --portal-days IST days if
given), in real Chromium for the portal. Prints rows/s end to end, the run's counts, the rows
stored, the CPU per operation of every process the sync keeps busy, and this process's peak memory.
Targets: ≥ 5,000 rows/s (API), ≥ 500 rows/s (portal).
"""

import argparse
import resource
import time
from datetime import UTC, datetime, timedelta

from bench.setup import (
    cpu_per_operation,
    django_on_bench_database,
    peak_rss_mb,
    process_cpu_s,
    serving_process,
    sync_helper_pids,
    yardstick,
)
from bench.vima_sync import empty_tables

SEED, DAYS = 42, 7
EMAIL, PASSWORD = "bench@91game.example", "bench-password"


def _serve(size: int, conn) -> None:
    from integrations.payshack.sandbox.app import PayShackSandbox
    from integrations.sandbox.clock import Clock
    from integrations.sandbox.server import SandboxServer
    from integrations.sandbox.world import World

    world = World(seed=SEED, size=size, start=datetime.now(UTC).date() - timedelta(days=DAYS), days=DAYS)
    now = world.end + timedelta(days=1)
    server = SandboxServer(PayShackSandbox(world, email=EMAIL, password=PASSWORD, clock=Clock(now)))
    conn.send((server.url, now))
    conn.close()
    server.serve_forever()


def _source(mode: str, url: str, now: datetime, days: int):
    from django.conf import settings

    from integrations.payshack.client import PayShackClient, PayShackCredentials
    from integrations.payshack.config import payshack_context
    from integrations.payshack.portal import PortalFetcher, PortalSettings
    from integrations.payshack.sync import ApiFetcher, PayShackSource, WindowPolicy

    if mode == "api":
        fetcher = ApiFetcher(PayShackClient(api_url=url, credentials=PayShackCredentials(EMAIL, PASSWORD)))
    else:
        fetcher = PortalFetcher(PortalSettings(portal_url=f"{url}/portal", email=EMAIL, password=PASSWORD,
                                               chromium_path=settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE))
    return PayShackSource(fetcher, context=payshack_context(), now=now, policy=WindowPolicy(initial_days=days))


def _measure(mode: str, url: str, now: datetime, days: int, target: int) -> None:
    from integrations.core.runner import sync_run
    from transactions.models import Transaction

    empty_tables()
    others = sync_helper_pids("payshack-sandbox")
    before = {"writer": _own_cpu_s(), "reader": _children_cpu_s(),
              **{name: process_cpu_s(pid) for name, pid in others.items()}}
    started = time.perf_counter()
    run = sync_run(source=_source(mode, url, now, days), trigger="command", mode=mode)
    elapsed = time.perf_counter() - started
    after = {"writer": _own_cpu_s(), "reader": _children_cpu_s(),
             **{name: process_cpu_s(pid) for name, pid in others.items()}}
    stored = Transaction.objects.filter(source="payshack").count()
    print(f"{mode}: run {run.status} in {elapsed:.1f} s{': ' + run.error if run.error else ''}")
    print(f"{mode}: rows/s end to end: {run.fetched / elapsed:,.0f}  (target >= {target:,})")
    print(f"{mode}: pages={run.pages:,} fetched={run.fetched:,} inserted={run.inserted:,} "
          f"unchanged={run.unchanged:,} quarantined={run.quarantined:,} stored={stored:,}")
    spent = {name: None if after[name] is None or before[name] is None else after[name] - before[name]
             for name in before}
    print(f"{mode}: {cpu_per_operation(spent, run.fetched)}")


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu_s() -> float:
    """CPU of this process's finished children: the sync's reader process (and, for the portal, its browser)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="payments in the world (about 42%% are PayShack's)")
    parser.add_argument("--portal-days", type=int, default=None, help="read only the last N IST days via the portal")
    parser.add_argument("--skip-portal", action="store_true")
    args = parser.parse_args()
    django_on_bench_database()
    print(yardstick())
    from transactions.models import ProjectMapping

    ProjectMapping.objects.get_or_create(source="payshack", provider_name="91G_TECH_PVT_LTD",
                                         defaults={"project": "91game"})
    with serving_process(_serve, args.size, name="payshack-sandbox") as (url, now):
        print(f"payshack sync on PostgreSQL: {args.size:,} payments over {DAYS} days, sandbox in its own process")
        _measure("api", url, now, DAYS + 2, 5_000)
        if not args.skip_portal:
            _measure("portal", url, now, args.portal_days or DAYS + 2, 500)
    print(f"peak memory of the syncing process: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
