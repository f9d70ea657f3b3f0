"""What follows an import: the portfolio's cached answers go stale, the run's import logs are closed."""

from django.dispatch import receiver

from common.cache import namespace_bump
from credit_portfolio.choices import CREDIT_PORTFOLIO, SOURCE_NAME
from credit_portfolio.services import import_logs_finish
from credit_portfolio.signals import portfolio_changed
from integrations.models import SyncRun
from integrations.signals import sync_run_finished


@receiver(portfolio_changed)
def _bump_portfolio_cache(sender, **kwargs):
    namespace_bump(CREDIT_PORTFOLIO)


@receiver(sync_run_finished, sender=SyncRun)
def _close_import_logs(sender, run, **kwargs):
    if run.source == SOURCE_NAME:
        import_logs_finish(run=run)
