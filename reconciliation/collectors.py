"""What /metrics shows of reconciliation (``monitoring.registry`` finds this module): the results per
class of the latest succeeded run that nothing has superseded.

Read from the run's stored counts, not by counting its results: a scrape every few seconds must not
count a million rows.
"""

from monitoring.registry import register_values
from reconciliation.choices import ResultType, RunStatus
from reconciliation.models import ReconciliationRun


def _latest_run_counts() -> dict[tuple[str], int]:
    run = (ReconciliationRun.objects.filter(status=RunStatus.SUCCEEDED, superseded_by__isnull=True)
           .order_by("-date_to", "-pk").only("counts").first())
    counts = run.counts if run else {}
    return {(klass,): int(counts.get(klass, 0)) for klass in ResultType.values}


register_values(name="hub_reconciliation_results",
                documentation="Results per class of the latest current reconciliation run.",
                labels=("class",), read=_latest_run_counts)
