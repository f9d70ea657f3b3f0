"""The one registry of sources: each source package declares itself once, everything else reads here.

A declaration says what the sync core needs to run a source (its ``Source`` factory, normalizer,
sink) and what the rest of the product lists (label, schedules, queue, metadata job, modes). Model
choices, OpenAPI enums, beat schedules, Celery routes, admin filters, health, /metrics, quarantine
retry and the dashboard all derive from ``declarations()``.

A package declares itself in a module named ``sources.py`` (``integrations/vima/sources.py``,
``sales/sources.py``): ``discover()`` imports that module in every installed app and in every package
directly inside one, when the apps are ready. A test can register a declaration of its own with
``registered(declaration)``.
"""

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

_NOT_SOURCE_PACKAGES = frozenset({"migrations", "tests", "management", "templatetags"})


@dataclass(frozen=True)
class Schedule:
    """When beat starts a job: either ``every()`` (an interval, read when schedules are written, so
    settings apply) or ``crontab`` ("minute hour day_of_month month_of_year day_of_week") in ``timezone``
    (a daily file drop at 06:00 Moscow time stays at 06:00 there whatever UTC says)."""

    every: Callable[[], timedelta] | None = None
    description: str = ""
    crontab: str | None = None
    timezone: str = "UTC"

    def __post_init__(self):
        if (self.every is None) == (self.crontab is None):
            raise ValueError("a Schedule needs exactly one of every or crontab")
        if self.crontab is not None and len(self.crontab.split()) != 5:
            raise ValueError(f"crontab {self.crontab!r} needs five fields: minute hour day month weekday")

    def timing(self) -> dict:
        """The ``ScheduleSpec`` fields that say when: ``every_seconds``, or ``crontab`` and ``timezone``."""
        if self.every is not None:
            return {"every_seconds": int(self.every().total_seconds())}
        return {"crontab": self.crontab, "timezone": self.timezone}


@dataclass(frozen=True)
class SourceDeclaration:
    """One source: everything the core and the product need to know about it, in one place.

    - ``source(mode)`` builds the configured ``integrations.core.source.Source``;
    - ``normalizer()`` returns ``(normalize(raw, context), context)`` (reference data loaded once), used
      by the quarantine retry;
    - ``sink`` is the ``common.sinks.Sink`` its rows go to;
    - ``settings()`` returns its typed settings object (read from Django settings in one place);
    - ``record_id(raw)`` names a raw record for the quarantine;
    - ``sync`` / ``metadata_schedule``: beat schedules; ``metadata()`` reads its accounts (optional);
    - ``queue``: the Celery queue of its jobs (``sync.<name>`` by default); ``modes``: ways it can be read;
    - ``listed``: its place in lists (Vima, then PayShack, as the API has always listed them).
    """

    name: str
    label: str
    source: Callable[[str], Any]
    normalizer: Callable[[], tuple[Callable[[dict, dict], Any], dict]]
    sink: Any
    settings: Callable[[], Any] | None = None
    record_id: Callable[[Any], str] = field(default=lambda raw: "")
    sync: Schedule | None = None
    metadata: Callable[[], list] | None = None
    metadata_schedule: Schedule | None = None
    queue: str = ""
    modes: tuple[str, ...] = ()
    listed: int = 100  # where it comes in lists (choices, enums): lower first, then by name

    @property
    def queue_name(self) -> str:
        return self.queue or f"sync.{self.name}"


_DECLARATIONS: dict[str, SourceDeclaration] = {}
_SINK_NAMES: dict[str, frozenset[str]] = {}  # sink name → its sources; rebuilt on every change


def register(declaration: SourceDeclaration) -> SourceDeclaration:
    """Add (or replace) a source's declaration."""
    _DECLARATIONS[declaration.name] = declaration
    _SINK_NAMES.clear()
    return declaration


def unregister(name: str) -> None:
    _DECLARATIONS.pop(name, None)
    _SINK_NAMES.clear()


@contextmanager
def registered(declaration: SourceDeclaration) -> Iterator[SourceDeclaration]:
    """Declare a source for the length of a block (tests); whatever it replaced comes back after."""
    previous = _DECLARATIONS.get(declaration.name)
    register(declaration)
    try:
        yield declaration
    finally:
        unregister(declaration.name)
        if previous is not None:
            register(previous)


def declarations() -> list[SourceDeclaration]:
    """Every declared source, in listing order."""
    return sorted(_DECLARATIONS.values(), key=lambda d: (d.listed, d.name))


def declaration(name: str) -> SourceDeclaration:
    try:
        return _DECLARATIONS[name]
    except KeyError:
        raise LookupError(f"unknown provider {name!r}; known: {', '.join(sorted(_DECLARATIONS))}") from None


def source_names(*, sink: str | None = None) -> frozenset[str]:
    """Names of the declared sources; with ``sink``, only those writing to the sink of that name."""
    key = sink or ""
    if key not in _SINK_NAMES:
        _SINK_NAMES[key] = frozenset(d.name for d in _DECLARATIONS.values() if sink is None or d.sink.name == sink)
    return _SINK_NAMES[key]


def source_choices() -> list[tuple[str, str]]:
    """(name, label) of every source: the choices of every ``source`` field (a callable, so migrations
    never list them and a new source needs none)."""
    return [(d.name, d.label) for d in declarations()]


def transaction_source_choices() -> list[tuple[str, str]]:
    """(name, label) of the sources whose rows are transactions (the API's and the metrics' ``source``)."""
    names = source_names(sink="transactions")
    return [(d.name, d.label) for d in declarations() if d.name in names]


def discover() -> None:
    """Import ``sources`` of every installed app and of every package directly inside one."""
    from django.apps import apps
    from django.conf import settings

    for app in apps.get_app_configs():
        if not Path(app.path).is_relative_to(settings.BASE_DIR) or ".venv" in Path(app.path).parts:
            continue  # third-party apps declare no sources
        _import_sources(app.name)
        for package in pkgutil.iter_modules(app.module.__path__):
            if package.ispkg and package.name not in _NOT_SOURCE_PACKAGES:
                _import_sources(f"{app.name}.{package.name}")


def _import_sources(package: str) -> None:
    if importlib.util.find_spec(f"{package}.sources") is not None:
        importlib.import_module(f"{package}.sources")
