"""The ledger's reports as PDF: asked for in a request, rendered by a worker with WeasyPrint as a prepared file
(``common.prepared_files``), as the reconciliation report is. The rows are the CSV's and XLSX's
(``ledger.reports``); the request checked the parameters, the worker reads the books as they are then."""

import io
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from common.models import PreparedFile
from common.prepared_files import prepared_file_request
from ledger import reports
from ledger.models import Account, Period

TITLES = {"trial-balance": "Trial balance", "statement": "Account statement", "balance-sheet": "Balance sheet",
          "income-statement": "Income statement"}
# A statement longer than this is a CSV's job: a PDF of it would be hundreds of pages nobody reads.
STATEMENT_PDF_MAX_LINES = 10_000


def pdf_request(*, kind: str, params: dict, user) -> PreparedFile:
    """The PDF of report ``kind`` for ``params`` (plain values: dates as ``YYYY-MM-DD``, account and period by
    code), queued for a worker; each request is a file of its own (the books move between two requests)."""
    return prepared_file_request(renderer="ledger.exports.pdf_render", params={"kind": kind, **params}, user=user)


def report_rows(kind: str, params: dict):
    """The rows (a header first) of report ``kind`` for the plain ``params`` of ``pdf_request``."""
    if kind == "trial-balance":
        return reports.trial_balance_rows(as_of=date.fromisoformat(params["as_of"]))
    if kind == "statement":
        return reports.statement_rows(account=Account.objects.get(code=params["account"]),
                                      currency=params["currency"], date_from=date.fromisoformat(params["from_date"]),
                                      date_to=date.fromisoformat(params["to_date"]))
    period = Period.objects.get(code=params["period"])
    builder = reports.balance_sheet_rows if kind == "balance-sheet" else reports.income_statement_rows
    return builder(period=period)


def subtitle(kind: str, params: dict) -> str:
    if kind == "trial-balance":
        return f"as of {params['as_of']}"
    if kind == "statement":
        return f"account {params['account']} in {params['currency']}, {params['from_date']} – {params['to_date']}"
    return f"period {params['period']}"


def pdf_render(prepared: PreparedFile):
    """The renderer of ``pdf_request``'s files: the report's table on A4, figures right-aligned."""
    from weasyprint import HTML  # imported here: Pango loads with it, and only workers render

    params = dict(prepared.params)
    kind = params.pop("kind")
    header, *rows = report_rows(kind, params)
    numeric = [isinstance(value, Decimal) for value in (rows[0] if rows else header)]
    html = render_to_string("ledger/report.html", {
        "title": TITLES[kind], "subtitle": subtitle(kind, params), "header": list(zip(header, numeric, strict=True)),
        "rows": [list(zip(row, numeric, strict=True)) for row in rows], "generated_at": timezone.now()})
    name = "-".join([kind, *(str(value) for value in params.values())])
    return f"{name}.pdf", io.BytesIO(HTML(string=html).write_pdf()), len(rows)
