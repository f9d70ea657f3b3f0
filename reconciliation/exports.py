"""Results of a date out as CSV or XLSX, streamed through ``common.exports`` (the transactions' code); an XLSX
too large to write while the request waits is written by a worker (``common.prepared_files``)."""

import tempfile
from collections.abc import Iterator
from datetime import date

from common import exports
from common.prepared_files import prepared_file_request, queryset_from_param, queryset_param

EXPORT_FIELDS = ("id", "run_id", "result_date", "project", "key", "result_type", "amount_differs", "status_differs",
                 "vima_transaction_id", "payshack_transaction_id", "vima_count", "payshack_count", "vima_amount",
                 "payshack_amount", "difference", "vima_currency", "payshack_currency", "vima_status",
                 "payshack_status", "review_state", "reason_code", "note", "reviewed_at")
ORDER = ("result_type", "key", "id")
FORMATS = {**exports.FORMATS, "pdf": "application/pdf"}


def csv_chunks(queryset) -> Iterator[bytes]:
    return exports.csv_chunks(queryset, EXPORT_FIELDS, ORDER)


def xlsx_file(queryset) -> tempfile.SpooledTemporaryFile:
    return exports.xlsx_file(queryset, EXPORT_FIELDS, ORDER, sheet="reconciliation")


def xlsx_request(queryset, *, day, user, projects=None):
    """An XLSX of ``queryset`` too large to write while the request waits: a worker writes it (``xlsx_render``)."""
    return prepared_file_request(renderer="reconciliation.exports.xlsx_render", user=user, projects=projects,
                                 params={"query": queryset_param(queryset), "day": day.isoformat()})


def xlsx_render(prepared):
    """The renderer of ``xlsx_request``'s files (``common.prepared_files``)."""
    from reconciliation.models import ReconciliationResult

    queryset = queryset_from_param(ReconciliationResult, prepared.params["query"])
    output, rows = exports.xlsx_written(queryset, EXPORT_FIELDS, ORDER, sheet="reconciliation")
    return filename(date.fromisoformat(prepared.params["day"]), "xlsx"), output, rows


def filename(day, fmt: str) -> str:
    return f"reconciliation-{day.isoformat()}.{fmt}"
