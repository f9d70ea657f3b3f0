"""Views of the common API: health."""

from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.health import health_report


class HealthView(APIView):
    """GET /api/v1/health: 200 when up or degraded, 503 when the database is down."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    def get(self, request):
        report = health_report()
        return Response({"data": report}, status=503 if report["status"] == "down" else 200)
