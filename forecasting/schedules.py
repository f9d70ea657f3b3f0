"""Periodic jobs of forecasting: the nightly accuracy log and forecasts, the weekly retrain (UTC)."""

import json

from common.scheduling import ScheduleSpec, register

register(ScheduleSpec(
    name="forecasts nightly", task="forecasting.nightly", crontab="30 3 * * *",
    description="Log stored forecasts against the actuals that arrived, then store the next days' forecasts "
                "(after the night's syncs: iiko at 02:00 local).",
))
register(ScheduleSpec(
    name="forecasts retrain", task="forecasting.retrain", crontab="0 4 * * 1",
    kwargs=json.dumps({"trigger": "schedule"}),
    description="Retrain weekly (Monday 04:00 UTC); the candidate replaces the live model only if the gate says so.",
))
