"""What reconciliation does when a sync changes transactions: reconcile the past dates it touched again.

One sync commits page after page, each sending ``transactions_changed``. Each date gets one run, a
little later: the first change of a date sets a cache key for ``RECONCILIATION_RERUN_DELAY_SECONDS``
and enqueues the run with a countdown a bit longer than that, so changes committed while the key
lives are read by that run, and a change after it expires enqueues the next one.
"""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver

from common.cache import cache_reachable
from reconciliation import selectors
from transactions.signals import transactions_changed

logger = logging.getLogger(__name__)

# The run starts this long after its key expires, so that a change committed at the last moment of
# the key's life is still read.
COUNTDOWN_MARGIN_S = 5


@receiver(transactions_changed, dispatch_uid="reconciliation.rerun_dates")
def reconcile_touched_dates(sender, change, **kwargs):
    for day in dates_to_rerun(change.slots, today=datetime.now(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date()):
        rerun_enqueue(day)


def dates_to_rerun(slots, *, today: date) -> list[date]:
    """The past business dates whose results the changed slots may move, among those already reconciled.

    A slot near midnight touches the date on the other side too: within the settlement lag, its
    payment may be the partner of one dated there.
    """
    tz = ZoneInfo(settings.RECONCILIATION_TIME_ZONE)
    lag = timedelta(minutes=settings.RECONCILIATION_SETTLEMENT_LAG_MINUTES)
    touched = set()
    for slot in slots:
        for moment in (slot - lag, slot, slot + lag):
            touched.add(moment.astimezone(tz).date())
    past = sorted(day for day in touched if day < today)
    if not past:
        return []
    reconciled = selectors.current_runs(date_from=past[0], date_to=past[-1])
    return [day for day in past if day in reconciled]


def rerun_enqueue(day: date) -> bool:
    """Enqueue one run of ``day`` unless one is already waiting; returns whether this call enqueued it."""
    from reconciliation.tasks import reconcile_date

    delay = settings.RECONCILIATION_RERUN_DELAY_SECONDS
    # With the cache down there is no debounce: a run per change is better than a date left stale.
    if cache_reachable() and not cache.add(f"reconciliation:rerun:{day.isoformat()}", 1,
                                                                       timeout=delay):
        return False
    reconcile_date.apply_async(args=[day.isoformat()], countdown=delay + COUNTDOWN_MARGIN_S)
    return True
