"""What integrations does when transactions change: the sync status shows the new counts at once."""

from django.dispatch import receiver

from common.cache import namespace_bump
from integrations.choices import SYNC_STATUS
from transactions.signals import transactions_changed


@receiver(transactions_changed, dispatch_uid="integrations.sync_status_cache")
def invalidate_sync_status(sender, change, **kwargs):
    namespace_bump(SYNC_STATUS)
