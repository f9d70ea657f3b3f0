"""Query parameters of GET /api/v1/transactions (SPEC 8), validated into a queryset."""

import uuid
from datetime import UTC, date, datetime, timedelta

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q

from common.api.params import EARLIEST_DATE, LATEST_DATE
from common.sources import transaction_source_choices
from transactions.choices import Status
from transactions.models import Transaction

DATE_BOUNDS = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]
# The columns ``search`` looks in; an exact match on each, so it stays an index lookup where there is one.
SEARCH_FIELDS = ("source_id", "order_id", "client_operation_id", "user_phone", "utr")


class TransactionFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=transaction_source_choices)
    project = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=Status.choices)
    # Bounds on the column itself (not created_at::date), so the (…, created_at) indexes serve them.
    from_date = django_filters.DateFilter(method="filter_from", label="created on or after this UTC date",
                                          validators=DATE_BOUNDS)
    to_date = django_filters.DateFilter(method="filter_to", label="created on or before this UTC date",
                                        validators=DATE_BOUNDS)
    search = django_filters.CharFilter(method="filter_search", label="id, order id, client operation id, email, "
                                                                     "phone or UTR")

    class Meta:
        model = Transaction
        fields = ["source", "project", "status"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=utc_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=utc_midnight(value) + timedelta(days=1))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q()
        for field in SEARCH_FIELDS:
            match |= Q(**{field: value})
        match |= Q(user_email__iexact=value) if "@" in value else Q()
        try:
            match |= Q(id=uuid.UUID(value))
        except ValueError:
            pass
        return queryset.filter(match)


def utc_midnight(day: date) -> datetime:
    """The start of ``day`` in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
