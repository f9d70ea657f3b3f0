"""Celery tasks of the ledger: thin wrappers around ``ledger.services``."""

from datetime import date, datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from ledger.selectors import business_zone
from ledger.services.posting import PostingBusy, ledger_post

# A GL run again starts this long after its debounce key expires, so a posting at the key's last moment is read.
RERUN_MARGIN_S = 5
# A run that finds another in progress tries again shortly: a run takes seconds.
WHEN_BUSY = {"autoretry_for": (PostingBusy,), "retry_backoff": 5, "retry_backoff_max": 120, "max_retries": 50}


@shared_task(name="ledger.post_days", ignore_result=True, **WHEN_BUSY)
def post_days(days: list[str]) -> dict:
    """Post the given business days (realtime mode: the days one sync batch touched)."""
    parsed = sorted(date.fromisoformat(day) for day in days)
    return _posted(ledger_post(date_from=parsed[0], date_to=parsed[-1]))


@shared_task(name="ledger.post_recent", ignore_result=True, **WHEN_BUSY)
def post_recent() -> dict:
    """The nightly batch: the last ``LEDGER_NIGHTLY_DAYS`` business days up to yesterday (changes that came
    late, or every change in batch mode)."""
    today = datetime.now(business_zone()).date()
    return _posted(ledger_post(date_from=today - timedelta(days=settings.LEDGER_NIGHTLY_DAYS),
                               date_to=today - timedelta(days=1)))


def _posted(outcome) -> dict:
    """After a run that moved balances, the recent GL reconciliations they change are run again, each date once
    per ``LEDGER_GL_RERUN_DELAY_SECONDS`` (the postings of one sync meanwhile are read by that run)."""
    from common.cache import cache_reachable
    from ledger.selectors import gl_dates_moved

    if outcome.first_posted is None:
        return outcome.as_dict()
    delay = settings.LEDGER_GL_RERUN_DELAY_SECONDS
    for as_of in gl_dates_moved(since=outcome.first_posted):
        # With the cache down there is no debounce: a run per posting is better than a stale reconciliation.
        if delay and cache_reachable() and not cache.add(f"ledger:gl-rerun:{as_of.isoformat()}", 1, timeout=delay):
            continue
        gl_reconcile_date.apply_async(args=[as_of.isoformat()], countdown=delay + RERUN_MARGIN_S if delay else 0)
    return outcome.as_dict()


@shared_task(name="ledger.gl_reconcile_date", ignore_result=True)
def gl_reconcile_date(as_of: str) -> int:
    """A GL reconciliation of ``as_of`` by the system user (a date a posting moved); returns the run id."""
    from ledger.services.reconciliation import gl_reconcile_by_system

    return gl_reconcile_by_system(as_of=date.fromisoformat(as_of)).pk


@shared_task(name="ledger.gl_reconcile", ignore_result=True)
def gl_reconcile_run(run_id: int) -> None:
    """Fill a queued GL reconciliation run; a run already done (a redelivered message) is left alone."""
    from ledger.models import GLReconciliationRun
    from ledger.services.reconciliation import gl_reconcile_or_fail

    run = GLReconciliationRun.objects.filter(pk=run_id, status="queued").first()
    if run is None:
        return
    gl_reconcile_or_fail(run=run)


@shared_task(name="ledger.gl_reconcile_yesterday", ignore_result=True)
def gl_reconcile_yesterday() -> int:
    """The nightly GL reconciliation of yesterday's business day, by the system user; returns the run id."""
    from ledger.services.reconciliation import gl_reconcile_by_system

    return gl_reconcile_by_system(as_of=datetime.now(business_zone()).date() - timedelta(days=1)).pk
