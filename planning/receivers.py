"""Cache invalidation for plans and the loan book: each change bumps the namespaces of the answers it moves."""

from django.dispatch import receiver

from common.cache import namespace_bump
from planning.cache_namespaces import LOAN_BOOK_READERS, ROLLUP_READERS, plan_readers
from planning.signals import loan_book_changed, plans_changed
from transactions.signals import transactions_changed


@receiver(plans_changed, dispatch_uid="planning.plans_cache")
def invalidate_plan_answers(sender, codes, **kwargs):
    for namespace in plan_readers(codes):
        namespace_bump(namespace)


@receiver(loan_book_changed, dispatch_uid="planning.loan_book_cache")
def invalidate_loan_book_answers(sender, **kwargs):
    for namespace in LOAN_BOOK_READERS:
        namespace_bump(namespace)


@receiver(transactions_changed, dispatch_uid="planning.volumes_cache")
def invalidate_volume_answers(sender, change, **kwargs):
    for namespace in ROLLUP_READERS:
        namespace_bump(namespace)
