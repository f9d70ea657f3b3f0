"""Query parameters of GET /api/v1/transactions and its export (SPEC 8): one declaration for the server's
parsing and the OpenAPI schema."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from common.api.pagination import CursorParam, PageParams
from common.api.params import ChoiceParam, DateParam, TextParam, date_order
from common.exports import FORMATS
from common.sources import transaction_source_choices
from transactions.choices import Status
from transactions.models import Transaction

# sort_by → column; every order ends on id so that equal values still page deterministically.
SORTABLE = ("created_at", "updated_at", "amount", "status", "source", "project")
ORDERS = ("asc", "desc")


class TransactionFilterParams(serializers.Serializer):
    """The filters the list and the export share."""

    source = ChoiceParam(transaction_source_choices)
    project = TextParam(max_length=64)
    status = ChoiceParam(Status.choices)
    from_date = DateParam(help_text="created on or after this UTC day, YYYY-MM-DD")
    to_date = DateParam(help_text="created on or before this UTC day, YYYY-MM-DD")
    search = TextParam(help_text="exact id, source id, order id, client operation id, email, phone or UTR")

    def validate(self, attrs):
        date_order(attrs.get("from_date"), attrs.get("to_date"))
        return attrs


class TransactionListParams(TransactionFilterParams, PageParams):
    """``cursor`` continues the listing it came from, in its order: ``sort_by`` and ``order`` are then not read."""

    cursor = CursorParam()
    sort_by = ChoiceParam(SORTABLE, default="created_at")
    order = ChoiceParam(ORDERS, default="desc")

    def validate_cursor(self, values: list) -> dict:
        """``[sort_by, order, value, id]`` with a value of that column's type."""
        if len(values) != 4 or values[0] not in SORTABLE or values[1] not in ORDERS:
            raise serializers.ValidationError("is not a cursor this API issued")
        sort_by, order, value, pk = values
        try:
            value = Transaction._meta.get_field(sort_by).to_python(value)
        except (DjangoValidationError, TypeError, ValueError):
            raise serializers.ValidationError("is not a cursor this API issued") from None
        return {"sort_by": sort_by, "order": order, "value": value, "id": pk}


class TransactionExportParams(TransactionFilterParams):
    format = ChoiceParam(list(FORMATS), required=True)
