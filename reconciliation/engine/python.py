"""The engine's fallback for databases other than PostgreSQL (the embedded SQLite): the same rules as
the set-based statement, applied to the rows of the range in memory and written with bulk_create."""

from collections.abc import Iterable

from reconciliation.engine.classify import Classified, Side, key_results
from reconciliation.engine.parameters import Review, RunParameters
from reconciliation.models import ReconciliationResult
from transactions.models import Transaction

# Results per INSERT: well under SQLite's 32,766 bound variables at ~20 columns a row.
WRITE_BATCH = 1_000


def results_write_python(*, run_id: int, params: RunParameters,
                         reviews: dict[tuple[str, str], Review]) -> dict[str, int]:
    left = _first_rows(params, source=params.left, key_field="client_operation_id")
    right = _first_rows(params, source=params.right, key_field="order_id")
    start, end = params.window
    counts: dict[str, int] = {}
    batch = []
    for project, key in sorted(left.keys() | right.keys()):
        for result in key_results(project, key, left.get((project, key)), right.get((project, key)), params):
            if not start <= (result.left or result.right).created_at < end:
                continue  # dated outside the range: read only because of the lag
            counts[result.result_type] = counts.get(result.result_type, 0) + 1
            batch.append(_model(run_id, result, reviews.get((project, key))))
        if len(batch) >= WRITE_BATCH:
            ReconciliationResult.objects.bulk_create(batch)
            batch = []
    ReconciliationResult.objects.bulk_create(batch)
    return counts


def _first_rows(params: RunParameters, *, source: str, key_field: str) -> dict[tuple[str, str], Side]:
    """Per (project, key): the earliest row in the scanned window and the number of rows."""
    start, end = params.scan
    rows = (Transaction.objects
            .filter(source=source, project__in=params.projects, created_at__gte=start, created_at__lt=end)
            .exclude(**{key_field: ""})
            .order_by("created_at", "id")
            .values_list("project", key_field, "id", "amount", "currency", "status", "created_at"))
    return _group(rows.iterator(chunk_size=5_000))


def _group(rows: Iterable[tuple]) -> dict[tuple[str, str], Side]:
    firsts: dict[tuple[str, str], Side] = {}
    for project, key, pk, amount, currency, status, created_at in rows:
        seen = firsts.get((project, key))
        if seen is None:
            firsts[(project, key)] = Side(pk, amount, currency, status, created_at, 1)
        else:
            firsts[(project, key)] = Side(seen.id, seen.amount, seen.currency, seen.status, seen.created_at,
                                          seen.count + 1)
    return firsts


def _model(run_id: int, result: Classified, review: Review | None) -> ReconciliationResult:
    left, right = result.left, result.right
    return ReconciliationResult(
        **(review._asdict() if review else {}),
        run_id=run_id, key=result.key, result_date=result.result_date, project=result.project,
        result_type=result.result_type, amount_differs=result.amount_differs, status_differs=result.status_differs,
        vima_transaction_id=left.id if left else None, payshack_transaction_id=right.id if right else None,
        vima_count=left.count if left else 0, payshack_count=right.count if right else 0,
        vima_amount=left.amount if left else None, payshack_amount=right.amount if right else None,
        vima_currency=left.currency if left else "", payshack_currency=right.currency if right else "",
        vima_status=left.status if left else "", payshack_status=right.status if right else "",
        difference=result.difference,
    )


