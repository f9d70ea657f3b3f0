"""Celery tasks of forecasting: thin wrappers around its services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from forecasting.services import RetrainRunning, accuracy_record, forecasts_store, model_retrain

logger = logging.getLogger(__name__)


@shared_task(name="forecasting.retrain", ignore_result=True, soft_time_limit=1_800, time_limit=1_900)
def retrain(trigger: str = "schedule") -> int | None:
    """Train a candidate and let the gate decide (weekly by beat, on demand by the API and admin); returns
    the new registry row's version, or None when another retrain was already running."""
    try:
        return model_retrain(trigger=trigger).version
    except RetrainRunning:
        logger.info("forecasting retrain skipped: another one is running")
        return None


@shared_task(name="forecasting.nightly", ignore_result=True)
def nightly() -> dict:
    """Log yesterday's (and any older waiting) forecasts against their actuals, then store the live model's
    forecasts made from the actuals up to yesterday."""
    logged = accuracy_record()
    stored = forecasts_store(made_on=timezone.now().date() - timedelta(days=1))
    return {"logged": logged, "stored": stored}
