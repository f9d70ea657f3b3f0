"""Writes of the forecasting app: retraining behind the gate, storing forecasts, the accuracy log."""

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.locks import job_lock
from forecasting.backtest import LIGHTGBM, SEASONAL_NAIVE, backtest, gate_score
from forecasting.estimators import DEFAULT_PARAMS, LightGbmForecaster, hyper_params
from forecasting.features import FEATURES
from forecasting.models import AccuracyEntry, ForecastModel, StoredForecast
from forecasting.predict import forecast_points
from forecasting.selectors import SeriesKey, live_model, series_keys, series_load
from forecasting.training import prepared, training_series

logger = logging.getLogger(__name__)

RETRAIN_LOCK = "forecasting:retrain"
LIVE = "live"  # the live model's name in a candidate's metrics


class RetrainRunning(RuntimeError):
    """Another retrain holds the lock."""


@dataclass(frozen=True)
class GateDecision:
    deploy: bool
    candidate: float | None
    live: float | None
    margin: float
    reason: str

    def as_dict(self) -> dict:
        return {"deploy": self.deploy, "candidate_score": self.candidate, "live_score": self.live,
                "margin": self.margin, "reason": self.reason}


def gate_decide(*, candidate: float | None, live: float | None, margin: float) -> GateDecision:
    """Deploy the candidate only if its score (MAPE, lower is better) beats the live one's by more than
    ``margin`` (relative: 0.01 = 1 %); with no live model, deploy it."""
    if candidate is None:
        return GateDecision(False, candidate, live, margin, "the candidate has no backtest score (no non-zero actual)")
    if live is None:
        return GateDecision(True, candidate, live, margin, "no live model: the first model is deployed")
    needed = live * (1 - margin)
    if candidate < needed:
        return GateDecision(True, candidate, live, margin,
                            f"candidate MAPE {candidate:.3f} % beats live {live:.3f} % by more than {margin:.1%}")
    return GateDecision(False, candidate, live, margin,
                        f"candidate MAPE {candidate:.3f} % is not below {needed:.3f} % (live {live:.3f} % less "
                        f"{margin:.1%}): the live model stays")


def model_retrain(*, trigger: str, last: date | None = None, params: dict | None = None,
                  margin: float | None = None) -> ForecastModel:
    """Train a candidate on the actuals up to ``last`` (default: the latest known), backtest it with the
    baseline and the live model's parameters on the same folds, and deploy it only if the gate says so.

    The row is kept either way, with every score. Raises ``RetrainRunning`` if another retrain is running,
    ``ValueError`` if there is too little history for the backtest.
    """
    margin = settings.FORECAST_GATE_MARGIN if margin is None else margin
    with job_lock(RETRAIN_LOCK, busy=RetrainRunning("a forecasting retrain is already running")):
        last = last or _latest_actual()
        grouped = training_series(last=last)
        if not grouped:
            raise ValueError("there are no actuals to train on: sync sales or payments first")
        series = prepared(grouped)
        candidate_params = {**DEFAULT_PARAMS, **(params or {})}
        live = live_model()
        models = {SEASONAL_NAIVE: None, LIGHTGBM: LightGbmForecaster(dict(candidate_params))}
        if live is not None:
            models[LIVE] = LightGbmForecaster(hyper_params(live.params))
        result = backtest(series, models=models, weeks=settings.FORECAST_BACKTEST_WEEKS)
        length = len(next(iter(grouped.values()))[0].values)
        started = time.perf_counter()
        final = LightGbmForecaster(dict(candidate_params)).fit([p for g in series.values() for p in g],
                                                               last_target=length - 1)
        seconds = time.perf_counter() - started
        decision = gate_decide(candidate=gate_score(result.metrics[LIGHTGBM]),
                               live=gate_score(result.metrics[LIVE]) if live else None, margin=margin)
        first = next(iter(grouped.values()))[0].first
        return _register(final, result, decision, trigger=trigger, window=(first, last), seconds=seconds,
                         params=candidate_params)


def _latest_actual() -> date:
    from analytics.models import TransactionRollup
    from sales.models import DailySales

    days = [DailySales.objects.aggregate(d=Max("day"))["d"]]
    slot = TransactionRollup.objects.aggregate(s=Max("slot"))["s"]
    days.append(slot.date() if slot else None)
    known = [day for day in days if day]
    if not known:
        raise ValueError("there are no actuals to train on: sync sales or payments first")
    return min(max(known), timezone.now().date() - timedelta(days=1))  # today is not over: its actual is partial


def _register(final, result, decision: GateDecision, *, trigger, window, seconds, params) -> ForecastModel:
    version = (ForecastModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    relative = Path("forecasting") / f"model-v{version}.txt"
    final.save(Path(settings.MEDIA_ROOT) / relative)  # file I/O outside the transaction
    now = timezone.now()
    with transaction.atomic():
        if decision.deploy:
            ForecastModel.objects.filter(status=ForecastModel.Status.LIVE).update(status=ForecastModel.Status.RETIRED)
        model = ForecastModel.objects.create(
            version=version, status=ForecastModel.Status.LIVE if decision.deploy else ForecastModel.Status.REJECTED,
            trained_at=now, trigger=trigger, window_first=window[0], window_last=window[1], features=list(FEATURES),
            params={**params, "quantiles": result.quantiles[LIGHTGBM],
                    "baseline_quantiles": result.quantiles[SEASONAL_NAIVE], "backtest_origins": result.origins},
            metrics=result.metrics, score=decision.candidate, decision=decision.as_dict(), file=str(relative),
            training_seconds=seconds, deployed_at=now if decision.deploy else None,
        )
    logger.info("forecasting: model v%s %s (%s)", version, model.status, decision.reason)
    return model


def forecasts_store(*, made_on: date, days: int | None = None) -> int:
    """Store the live model's forecasts of every series for the ``days`` after ``made_on`` (default
    ``FORECAST_STORE_DAYS``), made from the actuals up to ``made_on``; returns how many were new."""
    model = live_model()
    if model is None:
        return 0
    days = days or settings.FORECAST_STORE_DAYS
    points = forecast_points(series_keys(), first=made_on + timedelta(days=1), last=made_on + timedelta(days=days),
                             model=model, origin=made_on)
    rows = [StoredForecast(model=model, series=str(p.key), day=p.day, made_on=made_on, horizon=p.horizon,
                           predicted=p.predicted, lower=p.lower, upper=p.upper)
            for p in points if p.predicted is not None]
    before = StoredForecast.objects.filter(model=model, made_on=made_on).count()
    StoredForecast.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1_000)
    return StoredForecast.objects.filter(model=model, made_on=made_on).count() - before


def accuracy_record() -> int:
    """Log every stored forecast whose actual has arrived since; returns how many were logged."""
    waiting = list(StoredForecast.objects.filter(accuracy__isnull=True).order_by("day"))
    if not waiting:
        return 0
    keys = {SeriesKey.parse(f.series) for f in waiting}
    loaded = series_load(sorted(keys, key=str), first=waiting[0].day, last=max(f.day for f in waiting))
    now, entries = timezone.now(), []
    for forecast in waiting:
        series = loaded.get(SeriesKey.parse(forecast.series))
        value = series.values[(forecast.day - series.first).days] if series is not None else float("nan")
        if value != value:  # NaN: the actual has not arrived
            continue
        actual = Decimal(str(round(value, 4)))
        error = forecast.predicted - actual
        pct = (abs(error) / abs(actual) * 100).quantize(Decimal("0.01")) if actual else None
        entries.append(AccuracyEntry(forecast=forecast, actual=actual, error=error, error_pct=pct, recorded_at=now))
    AccuracyEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1_000)
    return len(entries)
