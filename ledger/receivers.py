"""What the ledger does when transactions change: in realtime mode, post the business days they touched.

``transactions_changed`` is sent after the write path's transaction commits, so the task reads committed
rows. The slots of a change are the creation times (old and new) of the rows written: their business days
are exactly the days whose targets may have moved.
"""

from django.conf import settings
from django.dispatch import receiver

from ledger.choices import PostingMode
from transactions.signals import transactions_changed


@receiver(transactions_changed, dispatch_uid="ledger.post_touched_days")
def post_touched_days(sender, change, **kwargs):
    if settings.LEDGER_POSTING_MODE != PostingMode.REALTIME or not change.slots:
        return
    from ledger.selectors import business_zone
    from ledger.tasks import post_days

    zone = business_zone()
    days = sorted({slot.astimezone(zone).date() for slot in change.slots})
    post_days.delay([day.isoformat() for day in days])
