"""PayShack's configured Source, built from Django settings in one place (``payshack_settings``)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from integrations.payshack.client import PayShackClient, PayShackCredentials
from integrations.payshack.portal import PortalFetcher, PortalSettings
from integrations.payshack.sync import ApiFetcher, PayShackSource, WindowPolicy
from transactions.selectors import project_mapping

MODES = ("api", "portal")


@dataclass(frozen=True)
class PayShackSettings:
    """Everything PayShack's sync reads from the environment, typed, read in one place."""

    api_url: str
    portal_url: str
    credentials: PayShackCredentials
    mode: str  # the default way of reading: "api" or "portal"
    timeout_s: float
    lookback: timedelta  # what every run reads again before where a stream stood
    initial_days: int  # how far back a fresh install starts
    chromium_path: str


def payshack_settings() -> PayShackSettings:
    return PayShackSettings(
        api_url=settings.PAYSHACK_API_URL, portal_url=settings.PAYSHACK_PORTAL_URL,
        credentials=PayShackCredentials(settings.PAYSHACK_EMAIL, settings.PAYSHACK_PASSWORD),
        mode=settings.PAYSHACK_MODE, timeout_s=settings.PAYSHACK_TIMEOUT_SECONDS,
        lookback=timedelta(hours=settings.PAYSHACK_LOOKBACK_HOURS), initial_days=settings.PAYSHACK_INITIAL_DAYS,
        chromium_path=settings.PLAYWRIGHT_CHROMIUM_EXECUTABLE,
    )


def payshack_mode(mode: str = "", *, configured: PayShackSettings | None = None) -> str:
    chosen = mode or (configured or payshack_settings()).mode
    if chosen not in MODES:
        raise ValueError(f"PayShack mode {chosen!r} is not one of {', '.join(MODES)}")
    return chosen


def payshack_client(configured: PayShackSettings | None = None) -> PayShackClient:
    configured = configured or payshack_settings()
    return PayShackClient(api_url=configured.api_url, timeout_s=configured.timeout_s,
                          credentials=configured.credentials)


def portal_fetcher(configured: PayShackSettings | None = None) -> PortalFetcher:
    configured = configured or payshack_settings()
    portal = PortalSettings(portal_url=configured.portal_url, email=configured.credentials.email,
                            password=configured.credentials.password, chromium_path=configured.chromium_path)
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
    configured = payshack_settings()
    mode = payshack_mode(mode, configured=configured)
    fetcher = portal_fetcher(configured) if mode == "portal" else ApiFetcher(payshack_client(configured))
    policy = WindowPolicy(lookback=configured.lookback, initial_days=configured.initial_days)
    return PayShackSource(fetcher, context=payshack_context(), now=timezone.now(), policy=policy, mode=mode)
