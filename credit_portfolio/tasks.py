"""Celery tasks of the credit portfolio: thin wrappers around its services."""

from celery import shared_task


@shared_task(name="credit_portfolio.render_report", ignore_result=True)
def render_report(report_id: int) -> None:
    """Render a requested PDF; a report already rendered is left alone (a redelivered message)."""
    from credit_portfolio.choices import ReportStatus
    from credit_portfolio.exports import report_render
    from credit_portfolio.models import PortfolioReport

    if PortfolioReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).exists():
        report_render(report_id=report_id)
