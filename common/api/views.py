"""Views of the common API: health."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.schema import data_envelope
from common.health import health_report


class HealthView(APIView):
    """GET /api/v1/health: 200 when up or degraded, 503 when the database is down."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(operation_id="health", responses={200: data_envelope("Health", serializers.DictField()),
                                                     503: data_envelope("HealthDown", serializers.DictField())})
    def get(self, request):
        report = health_report()
        return Response({"data": report}, status=503 if report["status"] == "down" else 200)
