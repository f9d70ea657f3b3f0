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
    crontab: str | None = None  # "minute hour day_of_month month_of_year day_of_week", UTC
    kwargs: str = "{}"
    queue: str | None = None
    description: str = ""


_REGISTRY: dict[str, ScheduleSpec] = {}


def register(spec: ScheduleSpec) -> ScheduleSpec:
    if (spec.every_seconds is None) == (spec.crontab is None):
        raise ValueError(f"schedule {spec.name!r} needs exactly one of every_seconds or crontab")
    _REGISTRY[spec.name] = spec
    return spec


def registered_schedules() -> list[ScheduleSpec]:
    autodiscover_modules("schedules")
    return sorted(_REGISTRY.values(), key=lambda spec: spec.name)
