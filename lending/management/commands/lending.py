"""manage.py lending demo --seed S --size N DIR | manage.py lending load DIR"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lending.demo import YEAR, demo_write
from lending.files import LoadError
from lending.services import loan_book_load


class Command(BaseCommand):
    help = "Write a deterministic demo loan book (demo) or load the original exports from a folder (load)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="write the five exports for SIZE credits into DIR")
        demo.add_argument("--seed", type=int, default=1)
        demo.add_argument("--size", type=int, default=1000)
        demo.add_argument("--year", type=int, default=YEAR, help=f"the year credits are issued in (default {YEAR})")
        demo.add_argument("--repayments-per-credit", type=int, default=None,
                          help="exactly this many repayments per credit, at least 2 (default: 1 to 6, 2.2 on average)")
        demo.add_argument("directory", type=Path)
        load = sub.add_parser("load", help="load the five exports of DIR in one transaction")
        load.add_argument("--currency", default="UAH", help="currency of the plans in plans.csv (default UAH)")
        load.add_argument("directory", type=Path)

    def handle(self, *args, action, directory, **options):
        if action == "demo":
            if options["repayments_per_credit"] is not None and options["repayments_per_credit"] < 2:
                raise CommandError("--repayments-per-credit must be at least 2 (the interest and a part of the body)")
            totals = demo_write(directory=directory, seed=options["seed"], size=options["size"], year=options["year"],
                                repayments_per_credit=options["repayments_per_credit"])
            self.stdout.write(f"wrote {totals['credits']} credits, {totals['repayments']} repayments to {directory}")
            return
        try:
            result = loan_book_load(directory=directory, currency=options["currency"])
        except LoadError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"loaded {result.borrowers} borrowers, {result.credits} credits, "
                          f"{result.repayments} repayments, {result.plans} plans")
