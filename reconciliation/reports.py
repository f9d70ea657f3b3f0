"""The PDF report of a run: asked for once per run, rendered by a worker with WeasyPrint as a prepared file
(``common.prepared_files``, the mechanism every file too big for a request uses)."""

import io
import logging
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from common.models import PreparedFile
from common.prepared_files import prepared_file_request
from reconciliation import selectors
from reconciliation.choices import ResultType
from reconciliation.models import ReconciliationRun

logger = logging.getLogger(__name__)

# Rows of the "largest discrepancies" table: a page or two, what a reader acts on first.
LARGEST_SHOWN = 25


@dataclass(frozen=True)
class Report:
    """What the report is about: a run and the business day it covers."""

    run: ReconciliationRun
    day: date

    @property
    def run_id(self) -> int:
        return self.run.pk


def report_request(*, run: ReconciliationRun, day: date, user=None) -> PreparedFile:
    """The report of ``run``: one per run (any user may fetch it), queued for a worker when new or failed."""
    return prepared_file_request(renderer="reconciliation.reports.pdf_render", key=f"reconciliation.pdf:run:{run.pk}",
                                 params={"run_id": run.pk, "day": day.isoformat()}, user=user, shared=True)


def pdf_render(prepared: PreparedFile):
    """The renderer of ``report_request``'s files: the PDF of the run's summary and largest discrepancies."""
    from weasyprint import HTML  # imported here: Pango loads with it, and only workers render

    report = Report(run=ReconciliationRun.objects.get(pk=prepared.params["run_id"]),
                    day=date.fromisoformat(prepared.params["day"]))
    html = render_to_string("reconciliation/report.html", report_context(report))
    name = f"reconciliation-{report.day.isoformat()}-run{report.run_id}.pdf"
    return name, io.BytesIO(HTML(string=html).write_pdf()), None


def report_context(report: Report) -> dict:
    summary = selectors.summary(day=report.day)
    labels = dict(ResultType.choices)
    return {
        "report": report, "run": report.run, "summary": summary,
        "classes": [(labels[klass], n, summary["percentages"][klass]) for klass, n in summary["counts"].items()],
        "largest": selectors.largest_discrepancies(run_id=report.run_id, day=report.day, limit=LARGEST_SHOWN),
        "generated_at": timezone.now(),
    }
