"""Retraining behind the gate, on the machine's database: the registry row, the decision and both scores."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from forecasting.backtest import error_scores, gate_score
from forecasting.models import AccuracyEntry, ForecastModel, StoredForecast
from forecasting.services import accuracy_record, forecasts_store, gate_decide, model_retrain
from forecasting.tests.builders import payment_history, sales_history
from sales.models import DailySales

pytestmark = pytest.mark.django_db

LAST = date(2026, 11, 30)
# The 2nd percentile instead of the median: forecasts well below the actuals, a model easy to beat.
WEAK = {"objective": "quantile", "alpha": 0.02}


@pytest.fixture(autouse=True)
def small(settings, tmp_path):
    settings.FORECAST_BACKTEST_WEEKS = 2
    settings.FORECAST_TRAINING_DAYS = 150
    settings.MEDIA_ROOT = str(tmp_path)


def test_gate_deploys_only_past_the_margin():
    assert gate_decide(candidate=9.0, live=None, margin=0.01).deploy
    assert gate_decide(candidate=9.89, live=10.0, margin=0.01).deploy
    kept = gate_decide(candidate=9.9, live=10.0, margin=0.01)
    assert not kept.deploy and kept.as_dict() == {"deploy": False, "candidate_score": 9.9, "live_score": 10.0,
                                                  "margin": 0.01, "reason": kept.reason}
    assert "not below 9.900 %" in kept.reason
    assert not gate_decide(candidate=None, live=10.0, margin=0.01).deploy


def test_mape_leaves_out_zero_actuals_and_mae_does_not():
    scores = error_scores(predicted=np.array([110.0, 5.0, 90.0]), actual=np.array([100.0, 0.0, 100.0]))
    assert scores == {"mae": pytest.approx(25 / 3), "mape": pytest.approx(10.0), "points": 3, "mape_points": 2}
    assert error_scores(predicted=np.array([1.0]), actual=np.array([0.0]))["mape"] is None


def test_the_gate_keeps_the_live_model_unless_the_candidate_is_better_by_the_margin(settings):
    sales_history(departments=3, days=150, last=LAST)
    payment_history(days=150, last=LAST)
    first = model_retrain(trigger="command", last=LAST, params=WEAK)
    assert (first.version, first.status, first.decision["reason"]) == (1, "live", "no live model: the first model "
                                                                              "is deployed")
    assert Path(settings.MEDIA_ROOT, first.file).is_file()
    assert set(first.metrics) == {"seasonal_naive", "lightgbm"}
    assert set(first.metrics["lightgbm"]) == {"sales", "payments_count", "payments_amount"}
    assert set(first.metrics["lightgbm"]["sales"]) == {str(h) for h in range(1, 15)}

    same = model_retrain(trigger="command", last=LAST, params=WEAK)  # the same model: not better by 1 %
    assert (same.status, same.decision["deploy"]) == ("rejected", False)
    assert same.decision["candidate_score"] == same.decision["live_score"] == gate_score(same.metrics["live"])
    assert ForecastModel.objects.get(status="live").version == 1

    better = model_retrain(trigger="api", last=LAST)  # the default parameters: far better than one tree
    assert (better.status, better.decision["deploy"]) == ("live", True)
    assert better.decision["candidate_score"] < better.decision["live_score"] * 0.99
    assert better.score == gate_score(better.metrics["lightgbm"])
    assert dict(ForecastModel.objects.values_list("version", "status")) == {1: "retired", 2: "rejected", 3: "live"}


def test_lightgbm_beats_the_seasonal_naive_baseline_on_the_backtest():
    sales_history(departments=3, days=150, last=LAST)
    model = model_retrain(trigger="command", last=LAST)
    assert gate_score(model.metrics["lightgbm"]) < gate_score(model.metrics["seasonal_naive"])


def test_a_retrain_without_enough_history_is_refused_and_registers_nothing():
    sales_history(departments=1, days=40, last=LAST)
    with pytest.raises(ValueError, match="needs at least 82 days of history; there are 40"):
        model_retrain(trigger="command", last=LAST)
    assert ForecastModel.objects.count() == 0


def test_stored_forecasts_meet_their_actuals_in_the_accuracy_log():
    sales_history(departments=2, days=150, last=LAST, zero_days={LAST})
    model_retrain(trigger="command", last=LAST - timedelta(days=3))
    assert forecasts_store(made_on=LAST - timedelta(days=3), days=5) == 2 * 5
    assert forecasts_store(made_on=LAST - timedelta(days=3), days=5) == 0  # idempotent
    assert accuracy_record() == 2 * 3  # the three days up to LAST have actuals; the two after do not yet
    zero = AccuracyEntry.objects.get(forecast__series="sales:D001", forecast__day=LAST)
    assert (zero.actual, zero.error_pct, zero.error) == (Decimal(0), None, zero.forecast.predicted)
    entry = AccuracyEntry.objects.get(forecast__series="sales:D002", forecast__day=LAST - timedelta(days=1))
    actual = DailySales.objects.get(department__code="D002", day=LAST - timedelta(days=1)).amount
    assert entry.actual == actual
    assert entry.error_pct == (abs(entry.forecast.predicted - actual) / actual * 100).quantize(Decimal("0.01"))
    assert accuracy_record() == 0
    assert StoredForecast.objects.filter(accuracy__isnull=True).count() == 4


def test_the_command_retrains_and_says_what_the_gate_decided():
    from io import StringIO

    from django.core.management import call_command

    sales_history(departments=2, days=150, last=LAST)
    out = StringIO()
    call_command("forecast_retrain", "--last", LAST.isoformat(), stdout=out)
    assert out.getvalue().startswith("model v1 live: no live model: the first model is deployed (trained on "
                                     "2026-07-04..2026-11-30")
