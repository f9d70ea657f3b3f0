"""PayShack's declaration: the one place the rest of the product learns about this source."""

from datetime import timedelta

from django.conf import settings

from common.sources import Schedule, SourceDeclaration, register
from transactions.sinks import TRANSACTIONS_SINK


def _source(mode: str = ""):
    from integrations.payshack.config import payshack_source

    return payshack_source(mode)


def _normalizer():
    from integrations.payshack.config import payshack_normalizer

    return payshack_normalizer()


def _settings():
    from integrations.payshack.config import payshack_settings

    return payshack_settings()


def _accounts():
    from integrations.payshack.config import payshack_accounts

    return payshack_accounts()


def _record_id(raw) -> str:
    return str(raw.get("txnId") or raw.get("id") or "") if isinstance(raw, dict) else ""


PAYSHACK = register(SourceDeclaration(
    name="payshack",
    label="PayShack",
    listed=2,
    source=_source,
    normalizer=_normalizer,
    sink=TRANSACTIONS_SINK,
    settings=_settings,
    record_id=_record_id,
    sync=Schedule(every=lambda: timedelta(minutes=settings.PAYSHACK_SYNC_EVERY_MINUTES),
                  description="PayShack pay-ins and pay-outs by IST day, with a look-back (SPEC 6: every 10 minutes)."),
    metadata=_accounts,
    metadata_schedule=Schedule(every=lambda: timedelta(minutes=settings.PAYSHACK_METADATA_EVERY_MINUTES),
                               description="PayShack clients, wallet balances (snapshot each run), resellers, "
                                           "service providers."),
    modes=("api", "portal"),
))
