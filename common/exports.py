"""Rows out as CSV or XLSX, streamed: memory stays flat at any size. Shared by every app's exports.

An export is a queryset, the fields to write (model field names, in column order) and an order.
Money is written from the Decimal (never a float), times in UTC ISO 8601 with a Z, booleans as
``true``/``false``.

CSV on PostgreSQL is written by the database itself (``COPY … TO STDOUT``, formatted in SQL) and
passed through: several times faster than formatting rows in Python. Elsewhere, and for XLSX, rows
come from a server-side cursor. Both CSV paths give the same bytes (tests hold them to it).
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, F, Func, TextField, Value
from django.db.models.functions import Cast, NullIf
from openpyxl import Workbook

CHUNK_ROWS = 2_000  # rows per fetch from the server-side cursor
# Bytes gathered from COPY before handing a chunk to the server: COPY delivers rows a few hundred
# bytes at a time, and each chunk costs the WSGI server a write.
COPY_CHUNK_BYTES = 256 * 1024
# A finished XLSX file stays in memory up to this size, then moves to a temporary file.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
# Rows of an XLSX written while the request waits; more go to a worker (``common.prepared_files``) and the
# request answers 202 with the file's URL. openpyxl writes ~2,000-5,000 rows/s here (an unfiltered export of
# 295,157 rows took 142 s to its first byte): 5,000 rows keep a request to a few seconds.
XLSX_STREAM_ROWS = 5_000
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# A text cell starting with one of these is a formula to a spreadsheet program (``=HYPERLINK(...)`` in a
# note): it is written with a leading apostrophe, which shows the text as typed. Numbers (a negative
# amount) are never text here, so they are never escaped.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written by PostgreSQL as ``_text`` writes them in Python once cast to text.
_CAST_AS_TEXT = {"DecimalField", "UUIDField", "DateField", "IntegerField", "PositiveIntegerField", "BigIntegerField",
                 "AutoField", "BigAutoField", "BooleanField"}


def export_rows(queryset, fields: Sequence[str], order_by: Sequence[str]) -> Iterator[tuple]:
    """Header, then one tuple per row in ``order_by`` order, read in chunks through a server-side cursor."""
    yield tuple(fields)
    yield from queryset.order_by(*order_by).values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


def csv_chunks(queryset, fields: Sequence[str], order_by: Sequence[str], *, allow_copy: bool = True) -> Iterator[bytes]:
    """CSV as a stream of byte chunks, with a BOM so that spreadsheet programs read UTF-8.

    Lines end in ``\n`` (what PostgreSQL's COPY writes, and what every spreadsheet reads).
    """
    if allow_copy and connection.vendor == "postgresql":
        yield from _copied_csv_chunks(queryset, fields, order_by)
        return
    yield from rows_csv_chunks(export_rows(queryset, fields, order_by))


def rows_csv_chunks(rows: Iterable[Sequence]) -> Iterator[bytes]:
    """CSV of ``rows`` (the header first) as a stream of byte chunks, each value written as every export
    writes it (``_text``); for answers computed in Python (a report's rows) as much as for querysets."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer, lineterminator="\n")
    yield "\ufeff".encode()
    pending = []
    for row in rows:
        pending.append(writer.writerow([_text(value) for value in row]))
        if len(pending) >= 500:
            yield "".join(pending).encode()
            pending = []
    if pending:
        yield "".join(pending).encode()


def _copied_csv_chunks(queryset, fields: Sequence[str], order_by: Sequence[str]) -> Iterator[bytes]:
    """The CSV of ``queryset`` as PostgreSQL's COPY writes it, each value formatted as ``_text`` would."""
    yield "\ufeff".encode() + (",".join(fields) + "\n").encode()
    formatted = queryset.order_by(*order_by).values_list(*(_sql_text(queryset.model, name) for name in fields))
    sql, params = formatted.query.sql_with_params()
    pending, size = [], 0
    # The driver's own cursor: Django's debug wrapper (DEBUG on) takes no parameters for COPY.
    with connection.cursor() as wrapper, wrapper.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)",
                                                             params) as copy:
        for block in copy:
            pending.append(bytes(block))
            size += len(block)
            if size >= COPY_CHUNK_BYTES:
                yield b"".join(pending)
                pending, size = [], 0
    if pending:
        yield b"".join(pending)


class _IsoUtc(Func):
    """A timestamp as ISO 8601 in UTC with a Z, microseconds only when there are any (like isoformat)."""

    template = ("to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
                "to_char(%(expressions)s, 'US') = '000000' THEN '' ELSE '.' || to_char(%(expressions)s, 'US') END "
                "|| 'Z'")
    output_field = TextField()


def _sql_text(model, name: str):
    """The SQL that writes one field as ``_text`` writes it; empty text as NULL, which CSV leaves unquoted."""
    field = model._meta.get_field(name)
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind == "DateTimeField":
        return _IsoUtc(F(name))
    if kind in _CAST_AS_TEXT:
        return Cast(F(name), TextField())
    return _FormulaEscaped(NullIf(F(name), Value("", output_field=CharField()), output_field=TextField()))


class _FormulaEscaped(Func):
    """``escape_formula`` in SQL, for the COPY path."""

    # The expression once (it carries parameters): a leading formula character gets an apostrophe before it.
    template = "regexp_replace(%(expressions)s, '^([-=+@\\t\\r])', '''\\1')"
    output_field = TextField()


def escape_formula(text: str) -> str:
    """Text a spreadsheet program would run as a formula, made plain text (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xlsx_file(queryset, fields: Sequence[str], order_by: Sequence[str], *,
              sheet: str = "export") -> tempfile.SpooledTemporaryFile:
    """An XLSX workbook in write-only mode (rows go to disk as written), rewound and ready to send."""
    return xlsx_written(queryset, fields, order_by, sheet=sheet)[0]


def xlsx_written(queryset, fields: Sequence[str], order_by: Sequence[str], *,
                 sheet: str = "export") -> tuple[tempfile.SpooledTemporaryFile, int]:
    """``xlsx_file`` and the number of rows it holds (the header not counted)."""
    return rows_xlsx_written(export_rows(queryset, fields, order_by), sheet=sheet)


def rows_xlsx_file(rows: Iterable[Sequence], *, sheet: str = "export") -> tempfile.SpooledTemporaryFile:
    """``rows`` (the header first) as an XLSX workbook: amounts stay numbers, the rest as ``_text`` writes it."""
    return rows_xlsx_written(rows, sheet=sheet)[0]


def rows_xlsx_written(rows: Iterable[Sequence], *, sheet: str = "export") -> tuple[tempfile.SpooledTemporaryFile, int]:
    """``rows_xlsx_file`` and the number of rows it holds (the header not counted), rewound and ready to send."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    count = -1
    for count, row in enumerate(rows):  # noqa: B007 — the count is kept
        worksheet.append([_excel(value) for value in row])
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)
    workbook.save(output)
    output.seek(0)
    return output, max(count, 0)


def fits_in_a_request(queryset) -> bool:
    """Whether an XLSX of ``queryset`` is small enough to write while the request waits (``XLSX_STREAM_ROWS``).

    Counts at most one row past the bound, so asking costs milliseconds however large the table.
    """
    return queryset.order_by()[:XLSX_STREAM_ROWS + 1].count() <= XLSX_STREAM_ROWS


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return "" if value is None else escape_formula(str(value))


def _excel(value):
    """Amounts stay numbers, written into the file digit for digit from the Decimal; the rest is text
    (openpyxl stores a string starting with "=" as a formula, hence the escape in ``_text``)."""
    return value if isinstance(value, Decimal) else _text(value)


class _LineBuffer:
    """csv.writer writes into this and gets the line back, so rows can be streamed."""

    def write(self, line: str) -> str:
        return line
