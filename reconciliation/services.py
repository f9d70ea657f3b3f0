"""Writes of reconciliation: running the engine over a range, and reviewing results."""

import logging
import time
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models.functions import Now
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from analytics.cache_namespaces import METRICS
from common.cache import namespace_bump
from common.errors import ApplicationError, ErrorCode
from common.locks import job_lock, reconciliation_lock_name
from reconciliation import selectors
from reconciliation.cache_namespaces import RECONCILIATION
from reconciliation.choices import ResultType, ReviewState, RunStatus, Trigger
from reconciliation.engine import Review, RunParameters, results_write
from reconciliation.models import REVIEWED, ReconciliationResult, ReconciliationRun
from reconciliation.signals import reconciliation_run_succeeded

logger = logging.getLogger(__name__)

REVIEW_FIELDS = ("review_state", "assignee_id", "reason_code", "note")
# The audit's reason for a change people made (a rerun's carry-over names its origin instead).
REVIEW_CHANGE = "review"
# The embedded SQLite's stand-in for the run lock expires after this: longer than any run there (demo-sized
# data), short enough that a killed demo worker blocks the next runs for a while only.
RUN_LEASE_TTL = timedelta(minutes=30)
# A range longer than this is refused: a year of days covers every business question we know.
MAX_RANGE_DAYS = 366


class ReconciliationBusy(ApplicationError):
    """Another run of the same source pair holds its lease."""

    def __init__(self, message: str):
        super().__init__(message, code=ErrorCode.CONFLICT)


def reconciliation_queue(*, date_from: date, date_to: date, trigger: str = Trigger.API, user=None,
                         left: str = "vima", right: str = "payshack") -> ReconciliationRun:
    """A run waiting for a worker (``reconciliation_run(queued=…)`` carries it out), so its id can be
    given to the caller at once."""
    _check_range(date_from, date_to)
    return ReconciliationRun.objects.create(date_from=date_from, date_to=date_to, left_source=left, right_source=right,
                                            status=RunStatus.QUEUED, trigger=trigger, requested_by=user,
                                            started_at=timezone.now())


def reconciliation_run(*, date_from: date | None = None, date_to: date | None = None, trigger: str = Trigger.COMMAND,
                       user=None, left: str = "vima", right: str = "payshack",
                       queued: ReconciliationRun | None = None) -> ReconciliationRun:
    """Reconcile the business days ``date_from`` … ``date_to`` between two sources and store the run
    (or carry out the ``queued`` run, whose range and sources are used instead).

    One run of a source pair at a time: a second one is refused with ``ReconciliationBusy`` (a queued
    run stays queued). The run's results count only once it is marked succeeded, which commits with
    the superseding of the runs it replaces; a failure leaves the run ``failed`` with its error and
    no results.
    """
    if queued is not None:
        date_from, date_to, left, right = queued.date_from, queued.date_to, queued.left_source, queued.right_source
    _check_range(date_from, date_to)
    with _pair_lock(left=left, right=right):
        _abandoned_discard(left=left, right=right)
        params = selectors.run_parameters(date_from=date_from, date_to=date_to, left=left, right=right)
        run = _started(params, trigger=trigger, user=user, queued=queued)
        if run is not None:
            _carry_out(run, params)
    return run if run is not None else queued


def _pair_lock(*, left: str, right: str):
    """Hold the source pair's lock for the run (``common.locks``), or raise ``ReconciliationBusy``."""
    return job_lock(reconciliation_lock_name(left, right), ttl=RUN_LEASE_TTL,
                    busy=ReconciliationBusy(f"a reconciliation of {left} and {right} is already running; "
                                            "this one can start when it ends"))


def _started(params: RunParameters, *, trigger, user, queued) -> ReconciliationRun | None:
    """The run, now ``running`` with the parameters it uses; None when a queued run was already taken."""
    if queued is None:
        return ReconciliationRun.objects.create(date_from=params.date_from, date_to=params.date_to,
                                                left_source=params.left, right_source=params.right,
                                                trigger=trigger, requested_by=user,
                                                parameters=params.as_json(), started_at=timezone.now())
    claimed = (ReconciliationRun.objects.filter(pk=queued.pk, status=RunStatus.QUEUED)
               .update(status=RunStatus.RUNNING, parameters=params.as_json(), started_at=timezone.now()))
    if not claimed:
        return None
    queued.refresh_from_db()
    return queued


def _carry_out(run: ReconciliationRun, params: RunParameters) -> None:
    """Write the run's results, then mark it succeeded and supersede what it replaces in one commit."""
    started = time.perf_counter()
    try:
        reviews, origins = _prior_reviews(run)
        counts = results_write(run_id=run.pk, params=params, reviews=reviews)
        with transaction.atomic():
            _carried_reviews_audit(run, origins)
            _succeed(run, counts, started)
            _supersede(run)
            namespace_bump(RECONCILIATION)  # commits with the run: a stalled cache cannot lose it
            namespace_bump(METRICS)  # the overview's payments count the results
    except Exception as exc:
        _results_discard(run.pk)
        run.error = f"{type(exc).__name__}: {exc}"
        _finish(run, RunStatus.FAILED, started)
        raise
    transaction.on_commit(lambda: _announce_succeeded(run))
    logger.info("reconciliation run %s %s…%s: %s in %s ms", run.pk, run.date_from, run.date_to, run.counts,
                run.duration_ms)


def _abandoned_discard(*, left: str, right: str) -> None:
    """Fail the runs of the pair still marked running, and drop what they wrote: under the pair's
    lease nobody is running them, so their process stopped mid-run (a crash, a killed worker)."""
    for run in ReconciliationRun.objects.filter(left_source=left, right_source=right, status=RunStatus.RUNNING):
        _results_discard(run.pk)
        run.error = "abandoned: the process running it stopped before it finished"
        run.status, run.finished_at = RunStatus.FAILED, timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        logger.warning("reconciliation run %s was abandoned mid-run; its partial results are discarded", run.pk)


def _results_discard(run_id: int) -> None:
    """Delete a run's results in one statement (no per-row signals or audit rows: they never counted)."""
    table = connection.ops.quote_name(ReconciliationResult._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE run_id = %s", [run_id])


def _announce_succeeded(run: ReconciliationRun) -> None:
    """Tell the receivers (monitoring's discrepancy alert) that ``run`` succeeded; one that fails is logged."""
    for receiver, outcome in reconciliation_run_succeeded.send_robust(sender=ReconciliationRun, run=run):
        if isinstance(outcome, Exception):
            logger.error("reconciliation_run_succeeded receiver %r failed for run %s", receiver, run.pk,
                         exc_info=outcome)


def _check_range(date_from: date, date_to: date) -> None:
    if date_from > date_to:
        raise ApplicationError(f"date_from ({date_from}) is after date_to ({date_to})",
                               code=ErrorCode.VALIDATION_ERROR, details={"date_from": [str(date_from)]})
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise ApplicationError(f"a run covers at most {MAX_RANGE_DAYS} days, got {date_from}…{date_to}",
                               code=ErrorCode.VALIDATION_ERROR, details={"date_to": [str(date_to)]})


def _succeed(run: ReconciliationRun, counts: dict[str, int], started: float) -> None:
    """Mark the run succeeded, only if it is still running (a run another process declared abandoned
    has lost its results), stamped with the database's clock: runs of a pair are current in the
    order they finished, whichever worker's clock ran them."""
    counts = {klass: counts.get(klass, 0) for klass in ResultType.values}
    duration_ms = int((time.perf_counter() - started) * 1000)
    if not ReconciliationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.SUCCEEDED, counts=counts, finished_at=Now(), duration_ms=duration_ms):
        raise RuntimeError(f"run {run.pk} is no longer running: another process declared it abandoned")
    run.refresh_from_db(fields=["status", "counts", "finished_at", "duration_ms"])


def _finish(run: ReconciliationRun, status: str, started: float) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    run.save(update_fields=["status", "counts", "error", "finished_at", "duration_ms"])


def _prior_reviews(run: ReconciliationRun) -> tuple[dict[tuple[str, str], Review], dict[tuple[str, str], tuple]]:
    """The review (state, assignee, reason, note) each key had in the run that was current for its date,
    for the engine to give to the key's new result, and which result it had it on (result id, run id).
    Only reviewed results are read (a partial index holds them): people touch few of them."""
    earlier = (selectors.current_results(date_from=run.date_from, date_to=run.date_to, left=run.left_source,
                                         right=run.right_source, before_run=run.pk)
               .filter(REVIEWED).order_by("result_date", "id"))
    reviews, origins = {}, {}
    for project, key, result_id, run_id, *values in earlier.values_list("project", "key", "id", "run_id",
                                                                        *REVIEW_FIELDS, "reviewed_at"):
        reviews[(project, key)] = Review(*values)
        origins[(project, key)] = (result_id, run_id)
    return reviews, origins


def _carried_reviews_audit(run: ReconciliationRun, origins: dict[tuple[str, str], tuple]) -> None:
    """Start the audit history of each result that took over a review with where it came from, so the
    trail of a key's review leads from its new result back to the one people reviewed."""
    if not origins:
        return
    carried = list(run.results.filter(REVIEWED))
    for result in carried:
        result_id, run_id = origins[(result.project, result.key)]
        result._change_reason = f"carried over from result {result_id} of run {run_id}"
    ReconciliationResult.history.bulk_history_create(carried)


def _supersede(run: ReconciliationRun) -> int:
    """Mark the other runs of the pair that lie wholly inside this run's range as superseded by it (they
    finished before it: runs of a pair run one at a time)."""
    return (ReconciliationRun.objects
            .filter(left_source=run.left_source, right_source=run.right_source, status=RunStatus.SUCCEEDED,
                    superseded_by=None, date_from__gte=run.date_from, date_to__lte=run.date_to)
            .exclude(pk=run.pk)
            .update(superseded_by=run))


_UNSET = object()


def results_review(*, result_ids: list[int], user, review_state: str | None = None, reason_code: str | None = None,
                   note: str | None = None, assignee=_UNSET) -> int:
    """Change the review of results in bulk; each changed result leaves one audit row (who, when, before, after).

    Resolving needs a reason code. Returns how many results changed.
    """
    now = timezone.now()
    with transaction.atomic():
        results = list(ReconciliationResult.objects.select_for_update().filter(pk__in=result_ids))
        changed = [result for result in results
                   if _apply_review(result, review_state=review_state, reason_code=reason_code, note=note,
                                    assignee=assignee, now=now)]
        if any(result.review_state == ReviewState.RESOLVED and not result.reason_code for result in changed):
            raise ApplicationError("resolving needs a reason_code", code=ErrorCode.VALIDATION_ERROR,
                                   details={"reason_code": ["expected a reason code when review_state is resolved, "
                                                            "got none"]})
        if changed:
            bulk_update_with_history(changed, ReconciliationResult, [*REVIEW_FIELDS, "reviewed_at"],
                                     default_user=user, default_change_reason=REVIEW_CHANGE)
            namespace_bump(RECONCILIATION)
    return len(changed)


def _apply_review(result: ReconciliationResult, *, review_state, reason_code, note, assignee, now) -> bool:
    before = tuple(getattr(result, name) for name in REVIEW_FIELDS)
    if review_state is not None:
        result.review_state = review_state
    if reason_code is not None:
        result.reason_code = reason_code
    if note is not None:
        result.note = note
    if assignee is not _UNSET:
        result.assignee_id = assignee.pk if assignee is not None else None
    if tuple(getattr(result, name) for name in REVIEW_FIELDS) == before:
        return False
    result.reviewed_at = now
    return True
