"""The matching engine: (range, sources, parameters) → one result per key, written in bulk.

On PostgreSQL the whole classification is one set-based statement (``postgres.py``), run as
parallel shards of the key space when the caller is not inside a transaction (``shards.py``);
elsewhere a fallback (``python.py``) applies the same rules to the rows in memory. All take the
same ``RunParameters`` and return the counts per class; tests hold them to identical results.
"""

from django.conf import settings
from django.db import connection, transaction

from reconciliation.engine.parameters import Review, RunParameters, Tolerance

__all__ = ["Review", "RunParameters", "Tolerance", "results_write"]


def results_write(*, run_id: int, params: RunParameters,
                  reviews: dict[tuple[str, str], Review] | None = None) -> dict[str, int]:
    """Write the results of run ``run_id`` and return how many there are of each class.

    ``reviews`` maps (project, key) to the review a key's result takes over from an earlier run.
    The results are committed when this returns, unless the caller holds a transaction open (then
    they are part of it, written by one statement); on an error none of them is left, except
    shards that committed before another failed, which the caller discards with the run.
    """
    reviews = reviews or {}
    if connection.vendor == "postgresql":
        shards = settings.RECONCILIATION_SHARDS
        if shards > 1 and not connection.in_atomic_block:
            from reconciliation.engine.shards import results_write_sharded

            return results_write_sharded(run_id=run_id, params=params, reviews=reviews, shards=shards)
        from reconciliation.engine.postgres import results_write_sql

        with transaction.atomic():
            return results_write_sql(run_id=run_id, params=params, reviews=reviews)
    from reconciliation.engine.python import results_write_python

    with transaction.atomic():
        return results_write_python(run_id=run_id, params=params, reviews=reviews)
