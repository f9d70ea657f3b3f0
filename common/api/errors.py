"""Every API error leaves in one envelope: {"error": {"code", "message", "details"}}."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from common.errors import ApplicationError, ErrorCode

logger = logging.getLogger(__name__)

_DRF_CODES = [
    (drf.ValidationError, ErrorCode.VALIDATION_ERROR),
    (drf.ParseError, ErrorCode.VALIDATION_ERROR),
    (drf.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (drf.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (drf.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (drf.NotFound, ErrorCode.NOT_FOUND),
    (drf.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (drf.Throttled, ErrorCode.RATE_LIMIT_EXCEEDED),
]


def error_body(code: ErrorCode, message: str, details=None) -> dict:
    return {"error": {"code": str(code), "message": message, "details": details if details is not None else {}}}


def exception_handler(exc, context):
    """DRF's exception handler, mapping every exception (ours, DRF's, Django's, unknown) to the envelope."""
    if isinstance(exc, Http404):
        exc = drf.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied(str(exc) or None)

    if isinstance(exc, ApplicationError):
        return Response({"error": exc.as_dict()}, status=exc.code.http_status)
    for exc_type, code in _DRF_CODES:
        if isinstance(exc, exc_type):
            return _drf_response(exc, code)
    if isinstance(exc, drf.APIException):
        return _drf_response(exc, ErrorCode.INTERNAL_ERROR if exc.status_code >= 500 else ErrorCode.VALIDATION_ERROR)

    logger.exception("Unhandled error in %s", context.get("view").__class__.__name__ if context else "API")
    return Response(error_body(ErrorCode.INTERNAL_ERROR, "Internal server error."), status=500)


def _drf_response(exc: drf.APIException, code: ErrorCode) -> Response:
    if isinstance(exc, drf.ValidationError):
        message, details = _validation_message(exc.detail), exc.detail
    else:
        message, details = str(exc.detail), {}
    headers = {}
    if isinstance(exc, drf.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
        details = {"retry_after_seconds": int(exc.wait)}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    return Response(error_body(code, message, details), status=exc.status_code, headers=headers)


def _validation_message(detail) -> str:
    """A one-line summary naming the first invalid field, e.g. "from_date: Enter a valid date."."""
    if isinstance(detail, dict) and detail:
        field, errors = next(iter(detail.items()))
        first = errors[0] if isinstance(errors, list) and errors else errors
        return f"{field}: {first}"
    if isinstance(detail, list) and detail:
        return str(detail[0])
    return str(detail) or "Invalid input."


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def handler404(request, exception=None):
    """JSON 404 under /api/, Django's page elsewhere."""
    if _is_api(request):
        from common.api.middleware import not_found

        return not_found(request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    """JSON 500 under /api/, Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse(error_body(ErrorCode.INTERNAL_ERROR, "Internal server error."), status=500)
    from django.views.defaults import server_error

    return server_error(request)
