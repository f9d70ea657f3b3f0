"""Periodic tasks, declared by each app in its ``schedules.py`` and written to django-celery-beat.

Declarations are code; the rows they become are editable in the admin. ``schedules_apply`` creates
missing rows and keeps the task path current, but leaves an interval or an on/off switch that a
person changed in the admin alone unless asked to reset.
"""

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class ScheduleSpec:
    """One periodic task: a unique name, the task, and either an interval or a crontab."""

    name: str
    task: str
    every_seconds: int | None = None
    crontab: str | None = None  # "minute hour day_of_month month_of_year day_of_week", in ``timezone``
    timezone: str = "UTC"  # of the crontab (an IANA name); intervals have none
    kwargs: str = "{}"
    queue: str | None = None
    description: str = ""


_REGISTRY: dict[str, ScheduleSpec] = {}
# Functions that list schedules derived from other declarations (each source's syncs), called at every listing.
_DERIVED: list = []


def register(spec: ScheduleSpec) -> ScheduleSpec:
    if (spec.every_seconds is None) == (spec.crontab is None):
        raise ValueError(f"schedule {spec.name!r} needs exactly one of every_seconds or crontab")
    _REGISTRY[spec.name] = spec
    return spec


def register_derived(specs) -> None:
    """Add ``specs() -> list[ScheduleSpec]``, read each time schedules are listed."""
    if specs not in _DERIVED:
        _DERIVED.append(specs)


def registered_schedules() -> list[ScheduleSpec]:
    autodiscover_modules("schedules")
    derived = [spec for specs in _DERIVED for spec in specs()]
    for spec in derived:
        if (spec.every_seconds is None) == (spec.crontab is None):
            raise ValueError(f"schedule {spec.name!r} needs exactly one of every_seconds or crontab")
    return sorted({**_REGISTRY, **{spec.name: spec for spec in derived}}.values(), key=lambda spec: spec.name)
