"""Vima's declaration: the one place the rest of the product learns about this source."""

from datetime import timedelta

from django.conf import settings

from common.sources import Schedule, SourceDeclaration, register
from transactions.sinks import TRANSACTIONS_SINK


def _source(mode: str = ""):
    from integrations.vima.config import vima_settings
    from integrations.vima.sync import VimaSource

    return VimaSource(vima_settings())


def _normalizer():
    from integrations.vima.normalizer import normalize_operation

    return (lambda raw, context: normalize_operation(raw)), {}


def _settings():
    from integrations.vima.config import vima_settings

    return vima_settings()


def _record_id(raw) -> str:
    return str(raw.get("operation_id") or raw.get("id") or "") if isinstance(raw, dict) else ""


VIMA = register(SourceDeclaration(
    name="vima",
    label="Vima",
    listed=1,
    source=_source,
    normalizer=_normalizer,
    sink=TRANSACTIONS_SINK,
    settings=_settings,
    record_id=_record_id,
    sync=Schedule(every=lambda: timedelta(minutes=settings.VIMA_SYNC_EVERY_MINUTES),
                  description="New and changed Vima operations (SPEC 6: every 5 minutes)."),
))
