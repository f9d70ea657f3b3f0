"""`manage.py reconcile --date D | --from A --to B | --days N [--json]`: run a reconciliation now and print its summary.

``--days N`` is the N business days before today (``make run`` reconciles the demo days this way at
start; as the first syncs bring their transactions, those dates are reconciled again on their own).

With ``--json`` the last line is one JSON object: ``{"run_id": …, "counts": {class: n, …}}``.
"""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.errors import ApplicationError
from reconciliation.choices import ResultType, Trigger
from reconciliation.services import reconciliation_run


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "Reconcile Vima against PayShack for a business day or a range of them."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, help="one business day, YYYY-MM-DD")
        parser.add_argument("--from", dest="date_from", type=_day, help="first day of a range, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=_day, help="last day of a range (inclusive), YYYY-MM-DD")
        parser.add_argument("--days", type=int, help="the N business days before today")
        parser.add_argument("--json", dest="as_json", action="store_true",
                            help="end with one JSON line: run id and counts")

    def handle(self, *args, date=None, date_from=None, date_to=None, days=None, as_json=False, **options):
        if days is not None:
            if date or date_from or date_to:
                raise CommandError("give --days N alone, not with --date or --from/--to")
            if days < 1:
                raise CommandError(f"--days must be at least 1, got {days}")
            today = datetime.now(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date()
            date_from, date_to = today - timedelta(days=days), today - timedelta(days=1)
        first, last = self._range(date, date_from, date_to)
        try:
            run = reconciliation_run(date_from=first, date_to=last, trigger=Trigger.COMMAND)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        span = str(first) if first == last else f"{first} … {last}"
        self.stdout.write(f"run {run.pk}: {span}, {run.total} results in {run.duration_ms} ms")
        for klass in ResultType.values:
            self.stdout.write(f"  {klass:20} {run.counts[klass]:>10,}")
        if as_json:
            self.stdout.write(_json_line(run))

    @staticmethod
    def _range(day, date_from, date_to):
        if day and (date_from or date_to):
            raise CommandError("give either --date or --from/--to, not both")
        if day:
            return day, day
        if not (date_from and date_to):
            raise CommandError("give --date D, or both --from A and --to B")
        if date_from > date_to:
            raise CommandError(f"--from ({date_from}) is after --to ({date_to})")
        return date_from, date_to


def _json_line(run) -> str:
    return json.dumps({"run_id": run.pk, "counts": run.counts})
