"""Which normalizer reads which source's raw records.

Each provider package registers its pure normalizer here when its app loads; code that only has
a source name (the quarantine retry, a backfill) looks it up instead of importing providers.
"""

from collections.abc import Callable

from transactions.rows import NormalizedTransaction

# A normalizer turns one raw provider record into a row. ``context`` carries reference data
# (e.g. the project mapping) as plain values, so normalizers never query the database.
Normalizer = Callable[[dict, dict], NormalizedTransaction]

_NORMALIZERS: dict[str, Callable[[], tuple[Normalizer, dict]]] = {}


class NormalizationError(ValueError):
    """A raw record cannot be normalized; the message names the field and the value."""


def register_normalizer(source: str, factory: Callable[[], tuple[Normalizer, dict]]) -> None:
    """Register ``factory() -> (normalizer, context)`` for ``source``; the factory loads reference data."""
    _NORMALIZERS[source] = factory


def normalizer_for(source: str) -> tuple[Normalizer, dict]:
    try:
        factory = _NORMALIZERS[source]
    except KeyError:
        raise LookupError(f"no normalizer is registered for source {source!r}") from None
    return factory()
