"""What the ledger does when transactions change: in realtime mode, post the business days they touched.

``transactions_changed`` is sent after the write path's transaction commits, so the task reads committed
rows. The slots of a change are the creation times (old and new) of the rows written: their business days
are exactly the days whose targets may have moved.

One sync commits page after page. Each day gets one posting task per ``LEDGER_REALTIME_DELAY_SECONDS``: the
first change of a day sets a cache key for that long and enqueues the task with that countdown, so the pages
committed meanwhile are posted by that task (0: a task per change, as the tests run it).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver

from ledger.choices import PostingMode
from transactions.signals import transactions_changed

logger = logging.getLogger(__name__)


@receiver(transactions_changed, dispatch_uid="ledger.post_touched_days")
def post_touched_days(sender, change, **kwargs):
    if settings.LEDGER_POSTING_MODE != PostingMode.REALTIME or not change.slots:
        return
    from ledger.selectors import business_zone
    from ledger.tasks import post_days

    zone = business_zone()
    delay = settings.LEDGER_REALTIME_DELAY_SECONDS
    days = sorted({slot.astimezone(zone).date() for slot in change.slots})
    waiting = [day for day in days if delay and not _first_change(day, delay)]
    due = [day.isoformat() for day in days if day not in waiting]
    if due:
        post_days.apply_async(args=[due], countdown=delay)


def _first_change(day, delay: int) -> bool:
    """True for the first change of ``day`` in ``delay`` seconds; with the cache down, every change is."""
    try:
        return cache.add(f"ledger:post:{day.isoformat()}", 1, timeout=delay)
    except Exception:  # noqa: BLE001 — a cache outage must not stop posting: a task per change instead
        logger.warning("cache unavailable: posting %s without debounce", day)
        return True
