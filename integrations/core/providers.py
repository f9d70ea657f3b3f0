"""The providers this installation syncs: source name → a factory of its configured Source.

Adding a provider is one entry here (plus its package); commands, tasks and the API look
sources up by name and never import provider packages themselves.
"""

from collections.abc import Callable

from integrations.core.source import Source


def _vima(mode: str = "", backfill=None) -> Source:
    from integrations.vima.config import vima_settings
    from integrations.vima.sync import VimaSource

    return VimaSource(vima_settings(), backfill=backfill)


def _payshack(mode: str = "", backfill=None) -> Source:
    from integrations.payshack.config import payshack_source

    return payshack_source(mode, backfill)


PROVIDERS: dict[str, Callable[..., Source]] = {"vima": _vima, "payshack": _payshack}


def provider_source(name: str, *, mode: str = "", backfill=None) -> Source:
    """The configured Source of provider ``name``; ``backfill=(first_day, last_day)`` reads that range."""
    try:
        factory = PROVIDERS[name]
    except KeyError:
        raise LookupError(f"unknown provider {name!r}; known: {', '.join(sorted(PROVIDERS))}") from None
    return factory(mode, backfill)


def _payshack_accounts():
    from integrations.payshack.config import payshack_client
    from integrations.payshack.metadata import read_accounts

    return read_accounts(payshack_client())


# Providers with metadata (accounts, balances): name → a function that reads them.
METADATA = {"payshack": _payshack_accounts}
