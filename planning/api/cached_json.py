"""Cached answers kept as the bytes of their JSON envelope: a hit is one cache read and a response, with no
unpickling of Decimals and dates and no rendering (the exports keep reading the structured answer)."""

from collections.abc import Callable

from django.http import HttpResponse

from common.api.renderers import ExactJSONRenderer
from common.cache import cached


def cached_json(namespace: str, key: str, *, ttl: int, compute: Callable[[], object]) -> HttpResponse:
    """``{"data": compute()}`` as JSON, from the cache of ``namespace`` or rendered and stored there."""
    body = cached(namespace, f"json|{key}", ttl=ttl,
                  compute=lambda: ExactJSONRenderer().render({"data": compute()}))
    return HttpResponse(body, content_type=ExactJSONRenderer.media_type)
