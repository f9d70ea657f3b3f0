"""Keeps every answer under /api/ in the JSON envelope, whatever produced a 404 below the API views, and
bounds the length of the path and query string (414)."""

from django.http import JsonResponse

from common.api.errors import error_body
from common.errors import ErrorCode

API_PREFIX = "/api/"
# The longest path and query string the API reads: far above any real query (every parameter has a
# bound), and under the request line gunicorn accepts (``--limit-request-line 8190`` in the Dockerfile),
# so that a longer one is answered here, in the envelope, and the schema documents it.
MAX_REQUEST_URI_BYTES = 8000


class ApiRequestUriLimitMiddleware:
    """A path and query string longer than ``MAX_REQUEST_URI_BYTES`` under /api/ is a 414 in the envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX) and len(request.get_full_path().encode()) > MAX_REQUEST_URI_BYTES:
            return JsonResponse(error_body(ErrorCode.URI_TOO_LONG, f"the path and query string are longer than "
                                                                   f"{MAX_REQUEST_URI_BYTES} bytes"), status=414)
        return self.get_response(request)


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
