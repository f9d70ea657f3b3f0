"""GET /api/v1/transactions (filters, search, sorting, page or cursor) and GET /api/v1/transactions/{id}."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import encode_cursor, envelope
from common.api.params import parsed
from common.api.schema import data_envelope, page_envelope
from common.api.scope import limit_queryset, scoped_projects
from transactions.api.params import TransactionFilterParams, TransactionListParams
from transactions.api.serializers import LIST_FIELDS, TransactionDetailSerializer, TransactionSerializer
from transactions.models import Transaction
from transactions.selectors import transactions_matching

# How many rows match the filters, given them as keywords (``transactions_matching``'s, with ``projects``):
# by default the rows are counted; config/api_urls.py passes the rollups' exact count (analytics), which
# answers in milliseconds at any size. Passed in, not imported: analytics builds on transactions.
Counter = Callable[..., int]


class TransactionListView(APIView):
    """Transactions, newest first by default, in the standard envelope.

    ``page`` pages by offset; ``cursor`` (from ``meta.next_cursor``) continues after the last row seen,
    which stays fast however deep it goes.
    """

    count: Counter | None = None  # see ``Counter``

    @extend_schema(operation_id="transactions_list", parameters=[TransactionListParams],
                   responses=page_envelope("TransactionPage", TransactionSerializer(many=True)))
    def get(self, request):
        page = transactions_page(request, count=self.count)
        return envelope(page.rows, page=page.page, limit=page.limit, total=page.total, next_cursor=page.next_cursor)


@dataclass(frozen=True)
class TransactionsPage:
    rows: list[dict]
    page: int
    limit: int
    total: int
    next_cursor: str | None


def transactions_page(request, *, count: Counter | None = None) -> TransactionsPage:
    """The page of transactions the query parameters ask for (filters, sort, ``page`` or ``cursor``), with the
    total (``count``: see ``Counter``): what GET /api/v1/transactions and the compat list both answer."""
    asked = parsed(TransactionListParams, request.query_params)
    filters = transaction_filters(request, asked)
    queryset = transactions_matching(**filters)
    limit, page, cursor = asked["limit"], asked["page"], asked.get("cursor")
    sort_by, order = (cursor["sort_by"], cursor["order"]) if cursor else (asked["sort_by"], asked["order"])
    total = _total(count, filters, queryset)
    descending = order == "desc"
    ordered = queryset.order_by(*((f"-{sort_by}", "-id") if descending else (sort_by, "id")))
    if cursor:
        rows = _rows(_after(ordered, cursor, descending), 0, limit)
    else:
        rows = _rows(ordered, (page - 1) * limit, limit)
    next_cursor = (encode_cursor([sort_by, order, rows[-1][sort_by], str(rows[-1]["id"])])
                   if len(rows) == limit else None)
    return TransactionsPage(rows, page, limit, total, next_cursor)


class TransactionDetailView(APIView):
    @extend_schema(operation_id="transactions_retrieve",
                   responses=data_envelope("TransactionDetailEnvelope", TransactionDetailSerializer()))
    def get(self, request, pk):
        visible = limit_queryset(Transaction.objects.all(), request)
        return Response({"data": TransactionDetailSerializer(get_object_or_404(visible, pk=pk)).data})


def transaction_filters(request, asked: dict) -> dict:
    """The validated filters of ``TransactionFilterParams`` as ``transactions_matching``'s keywords, within
    the projects the caller may see (a project outside the caller's limits is refused)."""
    return {"projects": scoped_projects(request, asked.get("project")), "source": asked.get("source"),
            "status": asked.get("status"), "from_date": asked.get("from_date"), "to_date": asked.get("to_date"),
            "search": asked.get("search")}


def filtered_transactions(request, asked: dict | None = None):
    """The transactions the query parameters ask for, within the projects the caller may see."""
    asked = asked if asked is not None else parsed(TransactionFilterParams, request.query_params)
    return transactions_matching(**transaction_filters(request, asked))


def _total(count: Counter | None, filters: dict, queryset) -> int:
    """The number of matching rows: from ``count`` unless a search narrows the rows in a way only the rows
    themselves can answer, then by counting them."""
    if count is None or (filters["search"] or "").strip():
        return queryset.count()
    return count(**{name: value for name, value in filters.items() if name != "search"})


def _rows(ordered, offset: int, limit: int) -> list[dict]:
    """One page of ``ordered`` as the list shows it (``TransactionSerializer``'s fields), as a deferred
    join: the ids first, then those rows.

    Skipping ``offset`` rows then costs reading index entries only (the filter and sort columns and
    the id are all in the indexes, so PostgreSQL answers from the index alone), not fetching every
    skipped row from the table: page 1,000 stays nearly as fast as page 1. The rows go to the
    renderer as the database gave them (orjson writes UUIDs, UTC times with Z, and our renderer
    Decimals exactly): building 50 serializer instances cost more than the queries. A test holds
    the output to the serializer's, field for field.
    """
    ids = list(ordered.values_list("id", flat=True)[offset:offset + limit])
    found = {row["id"]: row for row in Transaction.objects.filter(id__in=ids).values(*LIST_FIELDS)}
    return [found[pk] for pk in ids if pk in found]


def _after(queryset, cursor: dict, descending: bool):
    """Rows strictly after (value, id) in the listing order: a keyset continuation."""
    sort_by, value, beyond = cursor["sort_by"], cursor["value"], "lt" if descending else "gt"
    return queryset.filter(Q(**{f"{sort_by}__{beyond}": value}) | Q(**{sort_by: value, f"id__{beyond}": cursor["id"]}))
