"""Times every request for /metrics."""

import time

from monitoring.metrics import HTTP_REQUEST_DURATION

# Anything else (made-up methods from scanners) is one label value, so it cannot grow the series.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestMetricsMiddleware:
    """Observes each request's duration under its view's name (or route), never its raw path:
    paths carry ids and would make one series per transaction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        HTTP_REQUEST_DURATION.labels(
            view=_view_label(request),
            method=request.method if request.method in _METHODS else "other",
            status=str(response.status_code),
        ).observe(time.perf_counter() - started)
        return response


def _view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"  # static files served by whitenoise, and 404s
    return match.view_name or match.route or "<unnamed>"
