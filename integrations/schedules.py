"""Periodic syncs of every declared source, written to django-celery-beat by `manage.py setup_schedules`.

Derived from the declarations (``common.sources``) each time schedules are listed, so a source's
package is the only place its schedule is written.
"""

import json

from common.scheduling import ScheduleSpec, register, register_derived
from common.sources import declarations


def source_schedules() -> list[ScheduleSpec]:
    specs = []
    for source in declarations():
        kwargs = json.dumps({"source": source.name})
        if source.sync is not None:
            specs.append(ScheduleSpec(name=f"sync {source.name}", task="integrations.sync_provider",
                                      kwargs=kwargs, description=source.sync.description,
                                      **source.sync.timing()))
        if source.metadata is not None and source.metadata_schedule is not None:
            specs.append(ScheduleSpec(name=f"sync {source.name} metadata", task="integrations.sync_metadata",
                                      kwargs=kwargs, description=source.metadata_schedule.description,
                                      **source.metadata_schedule.timing()))
    return specs


register_derived(source_schedules)

register(
    ScheduleSpec(
        name="sweep abandoned sync runs",
        task="integrations.sweep_abandoned_runs",
        # A killed worker's run is found by the source's next run too; this catches sources whose next
        # run is far off (a disabled schedule), so that no page counts a dead run as running for long.
        every_seconds=120,
        description="Sync runs left running by a worker that died are marked failed (abandoned: worker died).",
    )
)
