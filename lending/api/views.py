"""GET /api/v1/lending/borrowers/{id}/credits (SPEC 12), cached per answer."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from common.api.params import date_param
from common.api.permissions import IsViewer
from common.api.schema import data_envelope
from common.api.scope import NotProjectLimited
from lending import selectors
from planning.api.cached_json import cached_json
from planning.cache_namespaces import ANSWER_TTL, BORROWER_CREDITS
from planning.calendar import business_today


class BorrowerCreditsView(APIView):
    """The loan book has no projects: a token limited to projects is refused here."""

    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="lending_borrower_credits",
                   parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD (default: today in "
                                                                         "PLANNING_TIME_ZONE)")],
                   responses=data_envelope("BorrowerCredits", serializers.DictField()))
    def get(self, request, pk: int):
        as_of = date_param(request.query_params, "date", business_today())
        return cached_json(BORROWER_CREDITS, f"{pk}|{as_of}", ttl=ANSWER_TTL,
                           compute=lambda: selectors.borrower_credits(borrower_id=pk, as_of=as_of))
