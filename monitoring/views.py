"""GET /metrics: Prometheus's text format, for a scraper with the bearer token or a finance admin."""

import hmac

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from common.roles import FINANCE_ADMIN, user_has_role
from monitoring.registry import RegisteredCollectors


@require_GET
def metrics(request):
    """Every web process's counters (from the multiprocess folder) and every registered collector."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(RegisteredCollectors())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def _refusal(request) -> HttpResponse | None:
    """None when the caller may read the metrics; else 401 (no or wrong credentials) or 403 (not an admin)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = settings.METRICS_TOKEN
        if token and hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode()):
            return None
        return _unauthorized("invalid metrics token")
    if not request.user.is_authenticated:
        return _unauthorized("send Authorization: Bearer <METRICS_TOKEN>, or log in as a finance admin")
    if not user_has_role(request.user, FINANCE_ADMIN):
        return HttpResponse("metrics need the finance_admin role\n", status=403, content_type="text/plain")
    return None


def _unauthorized(message: str) -> HttpResponse:
    response = HttpResponse(f"{message}\n", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response
