"""The matching engine: (range, sources, parameters) → one result per key, written in bulk.

On PostgreSQL the whole classification is one set-based statement (``postgres.py``); elsewhere a
fallback (``python.py``) applies the same rules to the rows in memory. Both take the same
``RunParameters`` and return the counts per class; tests hold them to identical results.
"""

from django.db import connection

from reconciliation.engine.parameters import Review, RunParameters, Tolerance

__all__ = ["Review", "RunParameters", "Tolerance", "results_write"]


def results_write(*, run_id: int, params: RunParameters,
                  reviews: dict[tuple[str, str], Review] | None = None) -> dict[str, int]:
    """Write the results of run ``run_id`` and return how many there are of each class.

    ``reviews`` maps (project, key) to the review a key's result takes over from an earlier run.
    """
    if connection.vendor == "postgresql":
        from reconciliation.engine.postgres import results_write_sql

        return results_write_sql(run_id=run_id, params=params, reviews=reviews or {})
    from reconciliation.engine.python import results_write_python

    return results_write_python(run_id=run_id, params=params, reviews=reviews or {})
