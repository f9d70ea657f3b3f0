"""PayShack's configured Source, built from Django settings in one place."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from integrations.payshack.client import PayShackClient, PayShackCredentials
from integrations.payshack.portal import PortalFetcher, PortalSettings
from integrations.payshack.sync import ApiFetcher, PayShackSource, WindowPolicy
from transactions.selectors import project_mapping

MODES = ("api", "portal")


def payshack_mode(mode: str = "") -> str:
    chosen = mode or settings.PAYSHACK_MODE
    if chosen not in MODES:
        raise ValueError(f"PayShack mode {chosen!r} is not one of {', '.join(MODES)}")
    return chosen


def payshack_client() -> PayShackClient:
    return PayShackClient(api_url=settings.PAYSHACK_API_URL, timeout_s=settings.PAYSHACK_TIMEOUT_SECONDS,
                          credentials=PayShackCredentials(settings.PAYSHACK_EMAIL, settings.PAYSHACK_PASSWORD))


def portal_fetcher() -> PortalFetcher:
    portal = PortalSettings(portal_url=settings.PAYSHACK_PORTAL_URL, email=settings.PAYSHACK_EMAIL,
                            password=settings.PAYSHACK_PASSWORD,
                            chromium_path=settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE)
    return PortalFetcher(portal, session_store=cache)


def payshack_normalizer():
    """The normalizer with its reference data, for records read again (the quarantine retry)."""
    from integrations.payshack.normalizer import normalize_transaction

    return normalize_transaction, payshack_context()


def payshack_accounts():
    from integrations.payshack.metadata import read_accounts

    return read_accounts(payshack_client())


def payshack_context() -> dict:
    """Reference data the normalizer needs, as plain values."""
    return {"projects": project_mapping("payshack")}


def payshack_source(mode: str = "") -> PayShackSource:
    fetcher = portal_fetcher() if payshack_mode(mode) == "portal" else ApiFetcher(payshack_client())
    policy = WindowPolicy(lookback=timedelta(hours=settings.PAYSHACK_LOOKBACK_HOURS),
                          initial_days=settings.PAYSHACK_INITIAL_DAYS)
    return PayShackSource(fetcher, context=payshack_context(), now=timezone.now(), policy=policy,
                          mode=payshack_mode(mode))
