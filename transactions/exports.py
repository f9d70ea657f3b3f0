"""Transactions out as CSV or XLSX, streamed (``common.exports`` does the writing); an XLSX too large to
write while the request waits is written by a worker (``common.prepared_files``).

The API's export endpoint and the admin's export buttons and actions all call these, so a file is
the same whichever door it left by.
"""

import tempfile
from collections.abc import Iterator
from datetime import datetime

from common import exports
from common.exports import CHUNK_ROWS, FORMATS  # noqa: F401 — part of this module's interface
from common.prepared_files import prepared_file_request, queryset_from_param, queryset_param
from transactions.api.serializers import LIST_FIELDS

EXPORT_FIELDS = LIST_FIELDS
ORDER = ("created_at", "id")  # creation order, the id breaking ties


def export_rows(queryset) -> Iterator[tuple]:
    """Header, then one tuple per transaction in creation order."""
    return exports.export_rows(queryset, EXPORT_FIELDS, ORDER)


def csv_chunks(queryset, *, allow_copy: bool = True) -> Iterator[bytes]:
    return exports.csv_chunks(queryset, EXPORT_FIELDS, ORDER, allow_copy=allow_copy)


def xlsx_file(queryset) -> tempfile.SpooledTemporaryFile:
    return exports.xlsx_file(queryset, EXPORT_FIELDS, ORDER, sheet="transactions")


def xlsx_request(queryset, *, user, projects=None):
    """An XLSX of ``queryset`` too large to write while the request waits: a worker writes it (``xlsx_render``)."""
    return prepared_file_request(renderer="transactions.exports.xlsx_render",
                                 params={"query": queryset_param(queryset)}, user=user, projects=projects)


def xlsx_render(prepared):
    """The renderer of ``xlsx_request``'s files (``common.prepared_files``)."""
    from transactions.models import Transaction

    queryset = queryset_from_param(Transaction, prepared.params["query"])
    output, rows = exports.xlsx_written(queryset, EXPORT_FIELDS, ORDER, sheet="transactions")
    return filename("xlsx", prepared.created_at), output, rows


def content_type(fmt: str) -> str:
    return FORMATS[fmt]


def filename(fmt: str, stamp: datetime) -> str:
    return f"transactions-{stamp:%Y%m%dT%H%M%SZ}.{fmt}"
