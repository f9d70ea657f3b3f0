"""`manage.py demo --once`: the demo in one shot (sandboxes, syncs, reconciliation, the loan book, a summary)."""

import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dashboard.demo import demo_once, demo_world
from lending.services import loan_book_demo


class Command(BaseCommand):
    help = "Start both provider sandboxes in this process, sync everything, reconcile the demo days, print a summary."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="do it once and exit (the only form: `make run` "
                                                                  "is the long-running demo)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--size", type=int, default=30_000, help="payments in the world (make run's 30,000)")
        parser.add_argument("--days", type=int, default=3, help="whole UTC days before today")
        parser.add_argument("--json", action="store_true", help="end with the summary as one JSON line")

    def handle(self, *args, once, seed, size, days, **options):
        if not once:
            raise CommandError("only `demo --once` exists; `make run` is the long-running demo")
        world = demo_world(seed=seed, size=size, days=days, today=datetime.now(UTC).date())
        summary = demo_once(world=world)
        for name, run in summary["syncs"].items():
            self.stdout.write(f"{name}: {run['status']} inserted={run['inserted']} updated={run['updated']} "
                              f"unchanged={run['unchanged']} quarantined={run['quarantined']} "
                              f"stored={summary['stored'][name]}" + (f" error={run['error']}" if run["error"] else ""))
        recon = summary["reconciliation"]
        counts = " ".join(f"{klass}={n}" for klass, n in recon["counts"].items())
        self.stdout.write(f"reconciliation {recon['from']}…{recon['to']} (run {recon['run_id']}): {counts}")
        loaded = loan_book_demo(directory=Path(settings.VAR_DIR) / "demo-loan-book", seed=1, size=5_000,
                                year=datetime.now(UTC).year)
        self.stdout.write(f"loan book: {loaded.credits} credits, {loaded.repayments} repayments, {loaded.plans} plans")
        ledger = summary["ledger"]
        totals = " ".join(f"{currency}={total}" for currency, total in ledger["trial_balance"].items())
        gl = " ".join(f"{status}={n}" for status, n in ledger["gl"].items())
        self.stdout.write(f"ledger: vouchers={ledger['vouchers']} refused={len(ledger['refused'])} trial balance "
                          f"{totals} (zero per currency when balanced); GL reconciliation (run {ledger['gl_run_id']}) "
                          f"{gl}")
        if options["json"]:
            self.stdout.write(json.dumps(summary))

