"""GET /api/v1/transactions (filters, search, sorting, page or cursor) and GET /api/v1/transactions/{id}."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor, envelope, positive_int
from common.api.schema import data_envelope, page_envelope
from transactions.api.filters import TransactionFilter
from transactions.api.serializers import TransactionDetailSerializer, TransactionSerializer
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
            OpenApiParameter("source", str, enum=["vima", "payshack"]),
            OpenApiParameter("project", str),
            OpenApiParameter("status", str, enum=["pending", "processing", "success", "failed", "refunded"]),
            OpenApiParameter("from_date", str, description="YYYY-MM-DD, UTC, inclusive"),
            OpenApiParameter("to_date", str, description="YYYY-MM-DD, UTC, inclusive"),
            OpenApiParameter("search", str, description="exact id, source id, order id, client operation id, "
                                                        "email, phone or UTR"),
            OpenApiParameter("page", int), OpenApiParameter("limit", int, description="1–100, default 50"),
            OpenApiParameter("cursor", str, description="meta.next_cursor of the previous page (keyset paging)"),
            OpenApiParameter("sort_by", str, enum=list(SORTABLE)), OpenApiParameter("order", str, enum=["asc", "desc"]),
        ],
        responses=page_envelope("TransactionPage", TransactionSerializer(many=True)),
    )
    def get(self, request):
        params = request.query_params
        filtered = TransactionFilter(params, queryset=Transaction.objects.all())
        if not filtered.is_valid():
            raise ValidationError(filtered.errors)
        queryset = filtered.qs
        limit = positive_int(params, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
        page = positive_int(params, "page", 1)
        sort_by, descending = _ordering(params)
        total = queryset.count()
        ordered = queryset.order_by(*((f"-{sort_by}", "-id") if descending else (sort_by, "id")))
        if params.get("cursor"):
            ordered = _after(ordered, decode_cursor(params["cursor"]), sort_by, descending)
            rows = list(ordered[:limit])
        else:
            rows = list(ordered[(page - 1) * limit:page * limit])
        next_cursor = encode_cursor([getattr(rows[-1], sort_by), str(rows[-1].id)]) if len(rows) == limit else None
        return envelope(TransactionSerializer(rows, many=True).data, page=page, limit=limit, total=total,
                        next_cursor=next_cursor)


class TransactionDetailView(APIView):
    @extend_schema(operation_id="transactions_retrieve",
                   responses=data_envelope("TransactionDetailEnvelope", TransactionDetailSerializer()))
    def get(self, request, pk):
        return Response({"data": TransactionDetailSerializer(get_object_or_404(Transaction, pk=pk)).data})


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
