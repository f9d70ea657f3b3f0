"""What analytics does when transactions change: rollups and the metrics cache's version, in the same transaction."""

from django.dispatch import receiver

from analytics.cache_namespaces import METRICS
from analytics.services import rollups_apply
from common.cache import namespace_bump
from transactions.signals import transactions_written


@receiver(transactions_written, dispatch_uid="analytics.rollups")
def keep_rollups_exact(sender, deltas, **kwargs):
    rollups_apply(deltas=deltas)


@receiver(transactions_written, dispatch_uid="analytics.metrics_cache")
def invalidate_metrics(sender, deltas, **kwargs):
    # Metrics read the rollups only, and these deltas are what changed them: the version moves in the
    # rollups' own transaction, so it commits (or rolls back) with them.
    namespace_bump(METRICS)
