"""OpenAPI helpers: the envelopes every answer comes in, described once."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers


class PageMetaSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    next_cursor = serializers.CharField(allow_null=True, help_text="pass as `cursor` to continue after this page")


def data_envelope(name: str, serializer) -> serializers.Serializer:
    """``{"data": <serializer>}``."""
    return inline_serializer(name, {"data": serializer})


def page_envelope(name: str, serializer) -> serializers.Serializer:
    """``{"data": [<serializer>], "meta": {page, limit, total, total_pages, next_cursor}}``."""
    return inline_serializer(name, {"data": serializer, "meta": PageMetaSerializer()})
