"""PDF reports rendered by a worker: one way to render and store one, whatever the report is about.

A report model has ``file``, ``status`` (``queued`` → ``ready`` or ``failed``), ``finished_at`` and
``error`` (the reconciliation report, the credit portfolio's reports).
"""

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone

READY, FAILED = "ready", "failed"


def pdf_report_store(report, *, filename: str, html: Callable[[], str]) -> None:
    """Render ``html()`` to PDF into ``report.file`` and mark it ready; on any failure keep the error on the
    report, mark it failed and raise (for the task's log)."""
    from weasyprint import HTML  # imported here: Pango loads with it, and only workers render

    try:
        report.file.save(filename, ContentFile(HTML(string=html()).write_pdf()), save=False)
        report.status, report.finished_at = READY, timezone.now()
        report.save(update_fields=["file", "status", "finished_at"])
    except Exception as exc:
        report.status, report.error, report.finished_at = FAILED, f"{type(exc).__name__}: {exc}", timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        raise
