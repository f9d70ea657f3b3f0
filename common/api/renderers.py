"""JSON for money: Decimals leave as JSON numbers written digit for digit, never through a float.

DRF's own encoder turns a Decimal into a float (or a string with COERCE_DECIMAL_TO_STRING). orjson
embeds an already-written literal (``Fragment``), so ``1234.50`` goes out as ``1234.50``.
"""

from decimal import Decimal

import orjson
from rest_framework.renderers import BaseRenderer


def _default(value):
    if isinstance(value, Decimal):
        return orjson.Fragment(format(value, "f").encode())
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class ExactJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None  # UTF-8 by definition for application/json

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_default, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
