"""The analytics answers as files: an XLSX built at once (answers are a few hundred rows at most) and a
PDF rendered by a worker as a prepared file (``common.prepared_files``), as the reconciliation report is."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from common.cache import namespace_version
from common.exports import FORMATS, escape_formula
from common.models import PreparedFile
from common.prepared_files import prepared_file_request
from credit_portfolio import selectors
from credit_portfolio.choices import CREDIT_PORTFOLIO

XLSX = FORMATS["xlsx"]
TITLES = {"summary": "Summary", "monthly-stats": "Receipts and repayments per month",
          "monthly-efficiency": "Principal and interest per month", "org-efficiency": "Efficiency per organization",
          "cashflow-monthly": "Cash flow per month", "yearly-comparison": "Year over year",
          "contracts": "Per contract"}


def answer_table(name: str, data) -> tuple[list[str], list[list]]:
    """An answer as a header and rows: a summary as (figure, value) pairs, a list as its columns."""
    if isinstance(data, dict):
        return ["figure", "value"], [[key, "; ".join(f"{k}: {v}" for k, v in value.items())
                                      if isinstance(value, dict) else value] for key, value in data.items()]
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


def report_request(*, answer: str, query: selectors.PortfolioQuery, user) -> PreparedFile:
    """The PDF of ``answer`` for ``query`` over the current data, as a file a worker prepares
    (``common.prepared_files``): the asker's own, the same one while no import changed the portfolio."""
    version = namespace_version(CREDIT_PORTFOLIO)
    params = {"answer": answer, "first": str(query.first or ""), "last": str(query.last or ""),
              "organization": query.organization, "bank": query.bank, "contract": query.contract}
    key = f"credit_portfolio.pdf:{user.pk}:{version}:{answer}:{query.cache_key()}" if version is not None else ""
    return prepared_file_request(renderer="credit_portfolio.exports.pdf_render", params=params, user=user, key=key)


def pdf_render(prepared: PreparedFile):
    """The renderer of ``report_request``'s files: the answer as a table on landscape A4."""
    from weasyprint import HTML  # imported here: Pango loads with it, and only workers render

    params = prepared.params
    headers, rows = answer_table(params["answer"], selectors.ANSWERS[params["answer"]](_query(params)))
    html = render_to_string("credit_portfolio/report.html", {
        "title": TITLES[params["answer"]], "params": params, "headers": headers, "rows": rows,
        "generated_at": timezone.now()})
    return f"credit-portfolio-{params['answer']}.pdf", io.BytesIO(HTML(string=html).write_pdf()), None


def _query(params: dict) -> selectors.PortfolioQuery:
    from datetime import date

    return selectors.PortfolioQuery(
        first=date.fromisoformat(params["first"]) if params.get("first") else None,
        last=date.fromisoformat(params["last"]) if params.get("last") else None,
        organization=params.get("organization"), bank=params.get("bank"), contract=params.get("contract"))
