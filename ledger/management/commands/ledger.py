"""``manage.py ledger post --from D --to D`` (manual posting), ``manage.py ledger reconcile [--as-of D]`` (a GL
reconciliation, by default of yesterday) and ``manage.py ledger seed``."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ledger.errors import LedgerError


class Command(BaseCommand):
    help = "General ledger: post transactions of a range of business days, or seed the chart for new sources."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        post = sub.add_parser("post", help="Post the difference between transactions and the ledger.")
        post.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True)
        post.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True)
        post.add_argument("--draft", action="store_true", help="Leave the vouchers in draft (overrides the setting).")
        sub.add_parser("seed", help="Add the clearing accounts, journals and rules missing for declared sources.")
        gl = sub.add_parser("reconcile", help="Reconcile the clearing accounts as of a date (by the system user); "
                            "a posting that moves its balances later runs that date again.")
        gl.add_argument("--as-of", dest="as_of", type=date.fromisoformat,
                        help="YYYY-MM-DD; default: yesterday in LEDGER_TIME_ZONE")

    def handle(self, *args, action, **options):
        if action == "seed":
            return self._seed()
        if action == "reconcile":
            return self._reconcile(options["as_of"])
        from ledger.services.posting import ledger_post

        if options["date_from"] > options["date_to"]:
            raise CommandError("--from must not be after --to")
        try:
            outcome = ledger_post(date_from=options["date_from"], date_to=options["date_to"],
                                  auto_post=False if options["draft"] else None)
        except LedgerError as error:
            raise CommandError(error.message) from None
        self.stdout.write(json.dumps(outcome.as_dict()))
        self.stdout.write(f"vouchers={len(outcome.vouchers)} posted={outcome.posted} drafts={outcome.drafts} "
                          f"keys={outcome.keys} unmatched={outcome.unmatched} refused={len(outcome.refused)}")

    def _seed(self):
        from ledger.models import Account, Journal, PostingRule
        from ledger.seed import chart_seed

        chart_seed(account_model=Account, journal_model=Journal, rule_model=PostingRule)
        self.stdout.write("seeded")

    def _reconcile(self, as_of):
        from datetime import datetime, timedelta

        from ledger.selectors import business_zone
        from ledger.services.reconciliation import gl_reconcile_by_system

        as_of = as_of or datetime.now(business_zone()).date() - timedelta(days=1)
        run = gl_reconcile_by_system(as_of=as_of)
        statuses = list(run.results.values_list("status", flat=True))
        counts = " ".join(f"{status}={statuses.count(status)}" for status in sorted(set(statuses)))
        self.stdout.write(f"GL reconciliation run {run.pk} as of {as_of}: {len(statuses)} accounts {counts}".rstrip())
