"""Reads of reconciliation: the parameters of a new run, the current run of each date, summaries and lists."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from reconciliation.choices import DISCREPANCY_TYPES, ResultType, ReviewState, RunStatus
from reconciliation.engine import RunParameters, Tolerance
from reconciliation.models import ReconciliationResult, ReconciliationRun, ReconciliationTolerance
from transactions.models import ProjectMapping

# Unreconciled days named in an answer: a long period names its first ones (the count says how many in all).
MAX_DAYS_LISTED = 31


def pair_projects(*, left: str, right: str) -> tuple[str, ...]:
    """The projects reconciled between two sources: those a provider's client names are mapped to."""
    mapped = ProjectMapping.objects.filter(source__in=(left, right)).values_list("project", flat=True)
    return tuple(sorted(set(mapped)))


def run_parameters(*, date_from: date, date_to: date, left: str = "vima", right: str = "payshack") -> RunParameters:
    """A run's rules as they stand now: settings, and the tolerances set in the admin for the pair."""
    default = Tolerance(settings.RECONCILIATION_TOLERANCE_ABSOLUTE, settings.RECONCILIATION_TOLERANCE_PERCENT)
    per_project = {}
    for row in ReconciliationTolerance.objects.filter(left_source=left, right_source=right):
        if row.project:
            per_project[row.project] = Tolerance(row.absolute, row.percent)
        else:
            default = Tolerance(row.absolute, row.percent)
    return RunParameters(
        date_from=date_from, date_to=date_to, time_zone=settings.RECONCILIATION_TIME_ZONE,
        lag=timedelta(minutes=settings.RECONCILIATION_SETTLEMENT_LAG_MINUTES),
        projects=pair_projects(left=left, right=right), default_tolerance=default, tolerances=per_project,
        left=left, right=right,
    )


def current_runs(*, date_from: date, date_to: date, left: str = "vima", right: str = "payshack",
                 before_run: int | None = None) -> dict[date, int]:
    """For each date of the range, the id of the succeeded run covering it that finished last (dates never
    run are absent). Runs of a pair run one at a time, so the last to finish is the newest reading.

    ``before_run`` leaves that run out (what it takes over from).
    """
    runs = ReconciliationRun.objects.filter(status=RunStatus.SUCCEEDED, left_source=left, right_source=right,
                                            date_from__lte=date_to, date_to__gte=date_from)
    if before_run is not None:
        runs = runs.exclude(pk=before_run)
    chosen: dict[date, int] = {}
    latest_first = (F("finished_at").desc(nulls_last=True), "-pk")
    for run_id, first, last in runs.order_by(*latest_first).values_list("pk", "date_from", "date_to"):
        day = max(first, date_from)
        while day <= min(last, date_to):
            chosen.setdefault(day, run_id)
            day += timedelta(days=1)
    return chosen


def current_results(*, date_from: date, date_to: date, left: str = "vima", right: str = "payshack",
                    before_run: int | None = None) -> QuerySet[ReconciliationResult]:
    """The results of the range from the run that is current for each date."""
    by_run: dict[int, list[date]] = {}
    for day, run_id in current_runs(date_from=date_from, date_to=date_to, left=left, right=right,
                                    before_run=before_run).items():
        by_run.setdefault(run_id, []).append(day)
    if not by_run:
        return ReconciliationResult.objects.none()
    condition = Q()
    for run_id, days in by_run.items():
        condition |= Q(run_id=run_id, result_date__in=days)
    return ReconciliationResult.objects.filter(condition)


def discrepancies(*, date_from: date, date_to: date, result_type: str | None = None,
                  projects: frozenset[str] | None = None, review_state: str | None = None):
    """Current results that are not matched, newest date first, the largest differences first within one."""
    results = current_results(date_from=date_from, date_to=date_to).filter(result_type__in=DISCREPANCY_TYPES)
    if result_type:
        results = results.filter(result_type=result_type)
    if projects is not None:
        results = results.filter(project__in=projects)
    if review_state:
        results = results.filter(review_state=review_state)
    return results.order_by("-result_date", "result_type", "key", "id")


def payments(*, date_from: date, date_to: date, projects: frozenset[str] | None = None,
             source: str | None = None, left: str = "vima", right: str = "payshack") -> dict:
    """Payments of the range counted once: every current result is one payment (a reconciled pair, matching or
    not, or an orphan of one side), read from the reconciled days only.

    A day without a succeeded run is not counted (``unreconciled_days`` names it): its transactions could only
    be guessed at. ``source`` keeps the payments that source saw (pairs and its own orphans).
    """
    days = current_runs(date_from=date_from, date_to=date_to, left=left, right=right)
    results = current_results(date_from=date_from, date_to=date_to, left=left, right=right)
    if projects is not None:
        results = results.filter(project__in=projects)
    both = Q(vima_count__gt=0, payshack_count__gt=0)
    counts = results.aggregate(pairs=Count("id", filter=both),
                               left=Count("id", filter=Q(vima_count__gt=0, payshack_count=0)),
                               right=Count("id", filter=Q(vima_count=0, payshack_count__gt=0)))
    orphans = {left: counts["left"], right: counts["right"]}
    if source is not None:
        orphans = {name: (n if name == source else 0) for name, n in orphans.items()}
        counts["pairs"] = counts["pairs"] if source in (left, right) else 0
    span = (date_to - date_from).days + 1
    every_day = (date_from + timedelta(days=d) for d in range(span))
    return {
        "count": counts["pairs"] + sum(orphans.values()),
        "pairs": counts["pairs"],
        "orphans": orphans,
        "days_reconciled": len(days),
        "days": span,
        "unreconciled_days": [day for day in every_day if day not in days][:MAX_DAYS_LISTED],
        "time_zone": settings.RECONCILIATION_TIME_ZONE,
    }


def summary(*, day: date, projects: frozenset[str] | None = None) -> dict:
    """SPEC 7's summary of one date: the run it comes from, counts and percentages per class, reviews."""
    run_id = current_runs(date_from=day, date_to=day).get(day)
    results = ReconciliationResult.objects.filter(run_id=run_id, result_date=day) if run_id else None
    if results is not None and projects is not None:
        results = results.filter(project__in=projects)
    counts = dict.fromkeys(ResultType.values, 0)
    reviews = dict.fromkeys(ReviewState.values, 0)
    if results is not None:
        for result_type, review_state, n in _grouped(results):
            counts[result_type] += n
            if result_type != ResultType.MATCHED:
                reviews[review_state] += n
    total = sum(counts.values())
    return {
        "date": day.isoformat(),
        "run_id": run_id,
        "run_finished_at": ReconciliationRun.objects.get(pk=run_id).finished_at if run_id else None,
        "total": total,
        "counts": counts,
        "percentages": {t: _percent(n, total) for t, n in counts.items()},
        "match_rate": _percent(counts[ResultType.MATCHED], total),
        "discrepancies": total - counts[ResultType.MATCHED],
        "review": reviews,
    }


def _grouped(results: QuerySet) -> list[tuple[str, str, int]]:
    return list(results.values_list("result_type", "review_state").annotate(n=Count("id")).order_by())


def _percent(part: int, whole: int) -> Decimal:
    """Percent with two places, exact (Decimal), 0 when there is nothing."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def largest_discrepancies(*, run_id: int, day: date, limit: int) -> list[ReconciliationResult]:
    """The run's discrepancies of ``day`` that weigh most: the largest difference, else the largest amount."""
    from django.db.models.functions import Abs, Coalesce

    return list(ReconciliationResult.objects.filter(run_id=run_id, result_date=day, result_type__in=DISCREPANCY_TYPES)
                .order_by(Abs("difference").desc(nulls_last=True),
                          Coalesce("vima_amount", "payshack_amount").desc(), "key")
                .select_related("assignee")[:limit])
