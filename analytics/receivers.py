"""What analytics does when transactions change: rollups in the same transaction, caches after commit."""

from django.dispatch import receiver

from analytics.cache_namespaces import METRICS
from analytics.services import rollups_apply
from common.cache import namespace_bump
from transactions.signals import transactions_changed, transactions_written


@receiver(transactions_written, dispatch_uid="analytics.rollups")
def keep_rollups_exact(sender, deltas, **kwargs):
    rollups_apply(deltas=deltas)


@receiver(transactions_changed, dispatch_uid="analytics.metrics_cache")
def invalidate_metrics(sender, change, **kwargs):
    namespace_bump(METRICS)
