"""`manage.py sync vima|payshack [--mode api|portal] [--max-pages N] [--metadata]`: one sync run now.

The last line sums it up for scripts: ``inserted=N updated=N unchanged=N quarantined=N``.
"""

from django.core.management.base import BaseCommand, CommandError

from common.sources import declaration, source_names
from integrations.choices import RunStatus, RunTrigger
from integrations.core.accounts import metadata_run
from integrations.core.errors import SyncAlreadyRunning
from integrations.core.runner import sync_run


class Command(BaseCommand):
    help = "Sync one provider now. The last line is: inserted=N updated=N unchanged=N quarantined=N"

    def add_arguments(self, parser):
        parser.add_argument("provider", choices=sorted(source_names()))
        parser.add_argument("--mode", default="", help="api or portal, for providers that have both")
        parser.add_argument("--max-pages", type=int, default=None, help="stop after this many pages")
        parser.add_argument("--metadata", action="store_true",
                            help="refresh the provider's accounts and balances instead of its transactions")

    def handle(self, *args, provider, mode, max_pages, metadata, **options):
        try:
            if metadata:
                return self._metadata(provider)
            run = sync_run(source=declaration(provider).source(mode), trigger=RunTrigger.COMMAND, mode=mode,
                           max_pages=max_pages)
        except SyncAlreadyRunning as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:  # a bad --mode or provider setting
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{provider} run {run.pk} {run.status} in {run.duration_seconds:.1f}s: {run.pages} pages, "
            f"{run.fetched} records, {run.warnings} warnings, cursors {run.cursor_after}"
        )
        if run.status != RunStatus.SUCCEEDED:
            self.stderr.write(f"error: {run.error}")
        self.stdout.write(f"inserted={run.inserted} updated={run.updated} unchanged={run.unchanged} "
                          f"quarantined={run.quarantined}")
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"{provider} sync failed: {run.error}", returncode=1)

    def _metadata(self, provider: str) -> None:
        read_accounts = declaration(provider).metadata
        if read_accounts is None:
            raise CommandError(f"{provider} has no metadata to sync")
        run = metadata_run(source=provider, read_accounts=read_accounts, trigger=RunTrigger.COMMAND)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"{provider} metadata sync failed: {run.error}", returncode=1)
        self.stdout.write(f"{provider} metadata run {run.pk}: {run.fetched} accounts, {run.inserted} new, "
                          f"{run.updated} refreshed, balances snapshotted")
