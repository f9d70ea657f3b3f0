"""The analytics answers as files: an XLSX built at once (answers are a few hundred rows at most) and a
PDF rendered by a worker (``tasks.render_report``), as the reconciliation report is."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from common.cache import namespace_version
from common.exports import FORMATS, escape_formula
from common.reports import pdf_report_store
from credit_portfolio import selectors
from credit_portfolio.choices import CREDIT_PORTFOLIO, ReportStatus
from credit_portfolio.models import PortfolioReport

XLSX = FORMATS["xlsx"]
TITLES = {"summary": "Summary", "monthly-stats": "Receipts and repayments per month",
          "monthly-efficiency": "Principal and interest per month", "org-efficiency": "Efficiency per organization",
          "cashflow-monthly": "Cash flow per month", "yearly-comparison": "Year over year",
          "contracts": "Per contract"}


def answer_table(name: str, data) -> tuple[list[str], list[list]]:
    """An answer as a header and rows: a summary as (figure, value) pairs, a list as its columns."""
    if isinstance(data, dict):
        return ["figure", "value"], [[key, value] for key, value in data.items()]
    headers = list(data[0]) if data else []
    return headers, [[row[h] for h in headers] for row in data]


def xlsx_bytes(name: str, data) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name[:31])
    headers, rows = answer_table(name, data)
    sheet.append(headers)
    for row in rows:
        sheet.append([escape_formula(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_request(*, answer: str, query: selectors.PortfolioQuery, user=None) -> tuple[PortfolioReport, bool]:
    """The PDF of ``answer`` for ``query`` over the current data (reused, or created); (report, render it?)."""
    version = namespace_version(CREDIT_PORTFOLIO)
    key = query.cache_key()
    if version is not None:
        found = PortfolioReport.objects.filter(answer=answer, params_key=key, data_version=version).exclude(
            status=ReportStatus.FAILED).first()
        if found:
            return found, False
    params = {"first": str(query.first or ""), "last": str(query.last or ""), "organization": query.organization,
              "bank": query.bank, "contract": query.contract}
    report = PortfolioReport.objects.create(answer=answer, params=params, params_key=key, data_version=version,
                                            requested_by=user)
    return report, True


def report_render(*, report_id: int) -> PortfolioReport:
    """Render the PDF and store it; a failure is kept on the report (and raised for the task's log)."""
    report = PortfolioReport.objects.get(pk=report_id)

    def html() -> str:
        headers, rows = answer_table(report.answer, selectors.ANSWERS[report.answer](_query(report.params)))
        return render_to_string("credit_portfolio/report.html", {
            "title": TITLES[report.answer], "report": report, "headers": headers, "rows": rows,
            "generated_at": timezone.now()})

    pdf_report_store(report, filename=f"credit-portfolio-{report.answer}-{report.pk}.pdf", html=html)
    return report


def _query(params: dict) -> selectors.PortfolioQuery:
    from datetime import date

    return selectors.PortfolioQuery(
        first=date.fromisoformat(params["first"]) if params.get("first") else None,
        last=date.fromisoformat(params["last"]) if params.get("last") else None,
        organization=params.get("organization"), bank=params.get("bank"), contract=params.get("contract"))
