"""GET /api/v1/transactions (filters, search, sorting, page or cursor) and GET /api/v1/transactions/{id}."""

from dataclasses import dataclass
from datetime import timedelta

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.selectors import transactions_count
from common.api.pagination import decode_cursor, encode_cursor, envelope, limit_param, page_param
from common.api.params import date_order, filterset_errors
from common.api.schema import PAGE_PARAMETERS, data_envelope, page_envelope
from common.api.scope import limit_queryset, scoped_projects
from common.sources import transaction_source_choices
from transactions.api.filters import TransactionFilter, utc_midnight
from transactions.api.serializers import LIST_FIELDS, TransactionDetailSerializer, TransactionSerializer
from transactions.models import Transaction

# sort_by → column; every order ends on id so that equal values still page deterministically.
SORTABLE = {"created_at": "created_at", "updated_at": "updated_at", "amount": "amount", "status": "status",
            "source": "source", "project": "project"}


class TransactionListView(APIView):
    """Transactions, newest first by default, in the standard envelope.

    ``page`` pages by offset; ``cursor`` (from ``meta.next_cursor``) continues after the last row seen,
    which stays fast however deep it goes.
    """

    @extend_schema(
        operation_id="transactions_list",
        parameters=[
            OpenApiParameter("source", str, enum=[name for name, _ in transaction_source_choices()]),
            OpenApiParameter("project", str),
            OpenApiParameter("status", str, enum=["pending", "processing", "success", "failed", "refunded"]),
            OpenApiParameter("from_date", str, description="YYYY-MM-DD, UTC, inclusive"),
            OpenApiParameter("to_date", str, description="YYYY-MM-DD, UTC, inclusive"),
            OpenApiParameter("search", str, description="exact id, source id, order id, client operation id, "
                                                        "email, phone or UTR"),
            *PAGE_PARAMETERS,
            OpenApiParameter("cursor", str, description="meta.next_cursor of the previous page (keyset paging)"),
            OpenApiParameter("sort_by", str, enum=list(SORTABLE)), OpenApiParameter("order", str, enum=["asc", "desc"]),
        ],
        responses=page_envelope("TransactionPage", TransactionSerializer(many=True)),
    )
    def get(self, request):
        asked = transactions_page(request)
        return envelope(asked.rows, page=asked.page, limit=asked.limit, total=asked.total,
                        next_cursor=asked.next_cursor)


@dataclass(frozen=True)
class TransactionsPage:
    rows: list[dict]
    page: int
    limit: int
    total: int
    next_cursor: str | None


def transactions_page(request) -> TransactionsPage:
    """The page of transactions the query parameters ask for (filters, sort, ``page`` or ``cursor``), with the
    total: what GET /api/v1/transactions and the compat list both answer."""
    params = request.query_params
    filtered = transaction_filter(request)
    limit, page = limit_param(params), page_param(params)
    sort_by, descending = _ordering(params)
    total = _total(filtered, request)
    ordered = filtered.qs.order_by(*((f"-{sort_by}", "-id") if descending else (sort_by, "id")))
    if params.get("cursor"):
        ordered = _after(ordered, decode_cursor(params["cursor"]), sort_by, descending)
        rows = _rows(ordered, 0, limit)
    else:
        rows = _rows(ordered, (page - 1) * limit, limit)
    next_cursor = encode_cursor([rows[-1][sort_by], str(rows[-1]["id"])]) if len(rows) == limit else None
    return TransactionsPage(rows, page, limit, total, next_cursor)


class TransactionDetailView(APIView):
    @extend_schema(operation_id="transactions_retrieve",
                   responses=data_envelope("TransactionDetailEnvelope", TransactionDetailSerializer()))
    def get(self, request, pk):
        visible = limit_queryset(Transaction.objects.all(), request)
        return Response({"data": TransactionDetailSerializer(get_object_or_404(visible, pk=pk)).data})


def transaction_filter(request) -> TransactionFilter:
    """The query parameters, validated, over the transactions of the projects the caller may see."""
    scoped_projects(request, request.query_params.get("project"))  # refuses a project outside the caller's limits
    filtered = TransactionFilter(request.query_params, queryset=limit_queryset(Transaction.objects.all(), request))
    if not filtered.is_valid():
        raise filterset_errors(filtered)
    date_order(filtered.form.cleaned_data.get("from_date"), filtered.form.cleaned_data.get("to_date"))
    return filtered


def filtered_transactions(request):
    """The transactions the query parameters ask for, within the projects the caller may see."""
    return transaction_filter(request).qs


def _total(filtered: TransactionFilter, request) -> int:
    """The number of matching rows: from the rollups (exact, milliseconds at any size) unless a search
    narrows the rows in a way the rollups cannot see, then by counting."""
    asked = filtered.form.cleaned_data
    if asked.get("search"):
        return filtered.qs.count()
    first, last = asked.get("from_date"), asked.get("to_date")
    return transactions_count(
        start=utc_midnight(first) if first else None,
        end=utc_midnight(last) + timedelta(days=1) if last else None,
        source=asked.get("source") or None, status=asked.get("status") or None,
        projects=scoped_projects(request, asked.get("project") or None),
    )


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


def _ordering(params) -> tuple[str, bool]:
    sort_by = params.get("sort_by", "created_at")
    if sort_by not in SORTABLE:
        raise ValidationError({"sort_by": [f"must be one of {', '.join(SORTABLE)}, got {sort_by!r}"]})
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise ValidationError({"order": [f"must be asc or desc, got {order!r}"]})
    return SORTABLE[sort_by], order == "desc"


def _after(queryset, cursor: list, sort_by: str, descending: bool):
    """Rows strictly after (value, id) in the listing order: a keyset continuation."""
    from django.db.models import Q

    field = Transaction._meta.get_field(sort_by)
    try:
        value = field.to_python(cursor[0])
    except Exception:  # noqa: BLE001 — any parse failure means a cursor we did not issue
        raise ValidationError({"cursor": ["is not a cursor this API issued"]}) from None
    beyond = "lt" if descending else "gt"
    return queryset.filter(Q(**{f"{sort_by}__{beyond}": value}) | Q(**{sort_by: value, f"id__{beyond}": cursor[1]}))
