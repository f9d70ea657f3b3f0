"""GET /api/v1/lending/borrowers/{id}/credits (SPEC 12), cached per answer."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from common.api.params import parsed
from common.api.permissions import IsViewer
from common.api.schema import data_envelope
from common.api.scope import NotProjectLimited
from lending import selectors
from lending.api.params import BorrowerCreditsParams
from planning.api.cached_json import cached_json
from planning.cache_namespaces import ANSWER_TTL, BORROWER_CREDITS


class BorrowerCreditsView(APIView):
    """The loan book has no projects: a token limited to projects is refused here."""

    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="lending_borrower_credits",
                   parameters=[BorrowerCreditsParams],
                   responses=data_envelope("BorrowerCredits", serializers.DictField()))
    def get(self, request, pk: int):
        as_of = parsed(BorrowerCreditsParams, request.query_params)["date"]
        return cached_json(BORROWER_CREDITS, f"{pk}|{as_of}", ttl=ANSWER_TTL,
                           compute=lambda: selectors.borrower_credits(borrower_id=pk, as_of=as_of))
