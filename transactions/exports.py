"""Transactions out as CSV or XLSX, streamed from a server-side cursor: memory stays flat at any size.

The API's export endpoint and the admin's export actions both call these, so a file is the same
whichever door it left by. Money is written from the Decimal (never a float), times in UTC ISO 8601.
"""

import csv
import tempfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook

from transactions.api.serializers import LIST_FIELDS

EXPORT_FIELDS = LIST_FIELDS
CHUNK_ROWS = 2_000  # rows per fetch from the server-side cursor
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_rows(queryset) -> Iterator[tuple]:
    """Header, then one tuple per transaction in creation order, read in chunks through a server-side cursor."""
    yield EXPORT_FIELDS
    rows = queryset.order_by("created_at", "id").values_list(*EXPORT_FIELDS)
    yield from rows.iterator(chunk_size=CHUNK_ROWS)


def csv_chunks(queryset) -> Iterator[bytes]:
    """CSV as a stream of byte chunks, with a BOM so that spreadsheet programs read UTF-8."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    pending = []
    for row in export_rows(queryset):
        pending.append(writer.writerow([_text(value) for value in row]))
        if len(pending) >= 500:
            yield "".join(pending).encode()
            pending = []
    if pending:
        yield "".join(pending).encode()


def xlsx_file(queryset) -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook in write-only mode (rows go to disk as written), rewound and ready to send."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("transactions")
    for row in export_rows(queryset):
        sheet.append([_excel(value) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def _excel(value):
    """Amounts stay numbers, written into the file digit for digit from the Decimal; the rest is text."""
    return value if isinstance(value, Decimal) else _text(value)


class _LineBuffer:
    """csv.writer writes into this and gets the line back, so rows can be streamed."""

    def write(self, line: str) -> str:
        return line


def content_type(fmt: str) -> str:
    return FORMATS[fmt]


def filename(fmt: str, stamp: datetime) -> str:
    return f"transactions-{stamp:%Y%m%dT%H%M%SZ}.{fmt}"
