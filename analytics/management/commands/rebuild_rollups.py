"""`manage.py rebuild_rollups --from 2026-01-01 --to 2026-01-31 [--check]`: recompute rollups from transactions.

Prints every rollup row (width, start, group) where the stored totals differed from the
transactions, then a summary line. With ``--check`` nothing is written (exit status 1 when anything differs), so it can
run as a nightly audit.
"""

from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from analytics.cache_namespaces import METRICS
from analytics.services import rollups_rebuild
from common.cache import namespace_bump

# Days per transaction: each holds the write lock of every source while it runs, so syncs wait
# at most about one day's worth of recomputing.
DAYS_PER_STEP = 1


class Command(BaseCommand):
    help = "Recompute the rollups of a range of UTC days from the transactions and report any difference."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
        parser.add_argument("--check", action="store_true", help="report differences without repairing them")

    def handle(self, *args, first, last, check, **options):
        if last < first:
            raise CommandError(f"--to {last} is before --from {first}")
        rows = differences = 0
        day = first
        while day <= last:
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            outcome = rollups_rebuild(start=start, end=start + timedelta(days=DAYS_PER_STEP), apply=not check)
            rows += outcome.rows
            differences += len(outcome.differences)
            for difference in outcome.differences:
                self.stdout.write(_describe(difference))
            day += timedelta(days=DAYS_PER_STEP)
        if differences and not check:
            namespace_bump(METRICS)
        verb = "found" if check else "repaired"
        self.stdout.write(f"days={(last - first).days + 1} rows={rows} differences={differences} ({verb})")
        if check and differences:
            raise SystemExit(1)


def _describe(difference) -> str:
    span, slot, source, project, status, currency, direction = difference.key
    (stored_n, stored_amount, _), (actual_n, actual_amount, _) = difference.stored, difference.actual
    return (f"{slot:%Y-%m-%d %H:%M}Z+{span}m {source}/{project or '-'}/{status}/{currency}/{direction}: "
            f"rollup {stored_n} / {stored_amount}, transactions {actual_n} / {actual_amount}")
