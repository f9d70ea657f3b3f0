"""The statement run as shards of the key space at once, each on a connection of its own.

PostgreSQL gives an ``INSERT … SELECT`` no parallel workers, so one statement over a million keys
uses one core. Keys split by hash into shards that share nothing (both sides of a key hash alike),
each shard's statement runs in its own connection and transaction, and N cores finish in little
more than 1/N of the time.

The shards commit one by one, so a run's results are written before the run is: readers look only
at succeeded runs (``selectors.current_runs``), and a run whose shard fails has the shards that did
commit discarded by the service before it is marked failed.
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from reconciliation.engine.parameters import Review, RunParameters
from reconciliation.engine.postgres import results_write_sql


def results_write_sharded(*, run_id: int, params: RunParameters, reviews: dict[tuple[str, str], Review],
                          shards: int) -> dict[str, int]:
    """Write the run's results as ``shards`` statements in parallel; return the counts per class.

    Returns or raises only once every shard has ended (committed or rolled back), so a caller that
    discards the run's results after an error sees all that was committed.
    """

    def shard(number: int) -> dict[str, int]:
        try:
            with transaction.atomic():
                return results_write_sql(run_id=run_id, params=params, reviews=reviews, shard=(number, shards))
        finally:
            connection.close()  # this thread's own connection: nothing else will close it

    counts: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=shards, thread_name_prefix="reconcile-shard") as pool:
        for future in [pool.submit(shard, number) for number in range(shards)]:
            for klass, n in future.result().items():
                counts[klass] = counts.get(klass, 0) + n
    return counts
