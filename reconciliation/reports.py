"""The PDF report of a run: requested (one per run), then rendered by a worker with WeasyPrint."""

import logging

from django.template.loader import render_to_string
from django.utils import timezone

from common.reports import pdf_report_store
from reconciliation import selectors
from reconciliation.choices import ReportStatus, ResultType
from reconciliation.models import ReconciliationReport, ReconciliationRun

logger = logging.getLogger(__name__)

# Rows of the "largest discrepancies" table: a page or two, what a reader acts on first.
LARGEST_SHOWN = 25


def report_request(*, run: ReconciliationRun, day, user=None) -> tuple[ReconciliationReport, bool]:
    """The report of ``run`` (created, or a failed one queued again); returns (report, whether to render it)."""
    report, created = ReconciliationReport.objects.get_or_create(run=run, defaults={"day": day, "requested_by": user})
    if not created and report.status == ReportStatus.FAILED:
        report.status, report.error = ReportStatus.QUEUED, ""
        report.save(update_fields=["status", "error"])
        return report, True
    return report, created


def report_render(*, report_id: int) -> ReconciliationReport:
    """Render the PDF and store it; a failure is kept on the report (and raised for the task's log)."""
    report = ReconciliationReport.objects.select_related("run").get(pk=report_id)
    pdf_report_store(report, filename=f"reconciliation-{report.day.isoformat()}-run{report.run_id}.pdf",
                     html=lambda: render_to_string("reconciliation/report.html", report_context(report)))
    return report


def report_context(report: ReconciliationReport) -> dict:
    summary = selectors.summary(day=report.day)
    labels = dict(ResultType.choices)
    return {
        "report": report, "run": report.run, "summary": summary,
        "classes": [(labels[klass], n, summary["percentages"][klass]) for klass, n in summary["counts"].items()],
        "largest": selectors.largest_discrepancies(run_id=report.run_id, day=report.day, limit=LARGEST_SHOWN),
        "generated_at": timezone.now(),
    }
