"""Results of a date out as CSV or XLSX, streamed through ``common.exports`` (the transactions' code)."""

import tempfile
from collections.abc import Iterator

from common import exports

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


def filename(day, fmt: str) -> str:
    return f"reconciliation-{day.isoformat()}.{fmt}"
