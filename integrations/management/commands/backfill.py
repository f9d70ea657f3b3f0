"""`manage.py backfill vima --from 2026-01-01 --to 2026-01-31`: read a date range again, with progress.

A backfill is its own stream: stopped half way (Ctrl-C, a crash), the same command resumes after
the last committed batch. Progress: pages, rows/s and an ETA from how far into the range it is.
"""

import time
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from common.sources import declaration, source_names
from integrations.choices import RunStatus, RunTrigger
from integrations.core.errors import SyncAlreadyRunning
from integrations.core.runner import sync_run
from integrations.core.source import backfill_stream
from integrations.services import sync_state_reset


class Command(BaseCommand):
    help = "Re-read one provider's records created in a date range (UTC days, inclusive); resumable."

    def add_arguments(self, parser):
        parser.add_argument("provider", choices=sorted(source_names()))
        parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
        parser.add_argument("--mode", default="")
        parser.add_argument("--restart", action="store_true", help="forget earlier progress and read the range again")

    def handle(self, *args, provider, first, last, mode, **options):
        if last < first:
            raise CommandError(f"--to {last} is before --from {first}")
        if options["restart"]:
            sync_state_reset(source=provider, stream=backfill_stream(first, last))
        progress = _Progress(self.stdout, first, last)
        try:
            run = sync_run(source=declaration(provider).source(mode), backfill=(first, last),
                           trigger=RunTrigger.BACKFILL, mode=mode, on_batch=progress.update)
        except SyncAlreadyRunning as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write("")
        self.stdout.write(f"inserted={run.inserted} updated={run.updated} unchanged={run.unchanged} "
                          f"quarantined={run.quarantined}")
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"{provider} backfill failed (rerun the same command to resume): {run.error}")


class _Progress:
    """One rewritten terminal line: pages, rows, rows/s, and ETA from the share of the range covered."""

    def __init__(self, out, first: date, last: date):
        self.out, self.started = out, time.monotonic()
        self.range_start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        self.range_seconds = ((last - first) + timedelta(days=1)).total_seconds()

    def update(self, run, page) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        done = self._share_done(page)
        eta = f"{elapsed / done * (1 - done):,.0f}s" if 0 < done < 1 else "-"
        self.out.write(f"\r{run.pages:,} pages  {run.fetched:,} rows  {run.fetched / elapsed:,.0f} rows/s  "
                       f"{done:.0%} of range  ETA {eta}   ", ending="")
        self.out.flush()

    def _share_done(self, page) -> float:
        if page.reached is None:
            return 0.0
        return min(1.0, max(0.0, (page.reached - self.range_start).total_seconds() / self.range_seconds))
