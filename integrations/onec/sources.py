"""1C's declaration: departments from the exchange service, into the sales sink."""

from datetime import timedelta

from common.sources import Schedule, SourceDeclaration, register
from sales.sinks import SALES_SINK


def onec_settings():
    from django.conf import settings

    from integrations.onec.client import OneCSettings

    return OneCSettings(base_url=settings.ONEC_BASE_URL, api_key=settings.ONEC_API_KEY,
                        timeout_s=settings.ONEC_TIMEOUT_SECONDS)


def _source(mode: str = ""):
    from integrations.onec.sync import OneCSource

    return OneCSource(onec_settings())


def _normalizer():
    from integrations.onec.normalizer import normalize_object

    return (lambda raw, context: normalize_object(raw)), {}


ONEC = register(SourceDeclaration(
    name="onec", label="1C exchange", listed=10, source=_source, normalizer=_normalizer, sink=SALES_SINK,
    settings=onec_settings, record_id=lambda raw: str(raw.get("object_code", "")) if isinstance(raw, dict) else "",
    sync=Schedule(every=lambda: timedelta(days=1), description="Departments from 1C (SPEC 14: daily)."),
))
