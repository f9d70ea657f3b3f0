"""Keeps every answer under /api/ in the JSON envelope, whatever produced a 404 below the API views."""

from django.http import JsonResponse

from common.api.errors import error_body
from common.errors import ErrorCode

API_PREFIX = "/api/"


class ApiNotFoundMiddleware:
    """Turns a non-JSON 404 under /api/ into the envelope.

    Django answers an unresolved path (or a converter rejecting a malformed id, e.g. ``<uuid:pk>``)
    before any DRF view runs: with DEBUG on it renders its technical HTML page and never calls
    ``handler404``. Rewriting the response here covers both DEBUG settings in one place.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.path.startswith(API_PREFIX) and not _is_json(response):
            return not_found(request)
        return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def not_found(request) -> JsonResponse:
    return JsonResponse(error_body(ErrorCode.NOT_FOUND, f"No such endpoint: {request.path}"), status=404)
