"""/api/v1/forecasts/…: forecasts, batches, the comparison and its CSV, retraining as a task, the model card,
and the bad-input answers (404 unknown series, 400 naming the range limit, 409 without a live model)."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from forecasting.models import ForecastModel
from forecasting.services import model_retrain
from forecasting.tasks import retrain
from forecasting.tests.builders import payment_history, sales_history
from sales.models import DailySales, Department

pytestmark = pytest.mark.django_db

LAST = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def small(settings, tmp_path):
    settings.FORECAST_BACKTEST_WEEKS = 2
    settings.FORECAST_TRAINING_DAYS = 150
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def trained():
    sales_history(departments=3, days=150, last=LAST, zero_days={LAST - timedelta(days=1)})
    payment_history(days=150, last=LAST)
    return model_retrain(trigger="command", last=LAST)


def _body(answer) -> dict:
    """The JSON answer with its numbers as Decimals (money is written digit for digit)."""
    return json.loads(answer.content, parse_float=Decimal)


def _get(client, user, path, **params):
    client.force_authenticate(user)
    return client.get(f"/api/v1/forecasts/{path}", params)


def test_a_forecast_for_a_date_with_its_interval(api_client, viewer, trained):
    answer = _get(api_client, viewer, "forecast", series="sales:D002", date="2026-12-03")
    assert answer.status_code == 200
    data = _body(answer)["data"]
    assert (data["series"], data["day"], data["origin"], data["horizon"], data["method"], data["model_version"]) == (
        "sales:D002", "2026-12-03", "2026-11-30", 3, "lightgbm", 1)
    low, predicted, high = (Decimal(data[k]) for k in ("lower", "predicted", "upper"))
    assert 0 < low <= predicted <= high and 10_000 < predicted < 60_000  # D002 sells ~20,000 a day, ±weekday


def test_a_batch_covers_every_department_and_each_day(api_client, viewer, trained):
    answer = _get(api_client, viewer, "batch", from_date="2026-12-01", to_date="2026-12-30")
    assert answer.status_code == 200
    rows = answer.json()["data"]
    assert len(rows) == 3 * 30 and answer.json()["meta"] == {"model_version": 1, "series": 3}
    assert {r["series"] for r in rows} == {"sales:D001", "sales:D002", "sales:D003"}
    assert [r["horizon"] for r in rows if r["series"] == "sales:D001"] == list(range(1, 31))
    one = _get(api_client, viewer, "batch", series="payments_amount:91G:payin:INR", from_date="2026-12-01",
               to_date="2026-12-02").json()["data"]
    assert [(r["series"], r["horizon"]) for r in one] == [("payments_amount:91G:payin:INR", 1),
                                                         ("payments_amount:91G:payin:INR", 2)]


def test_the_comparison_gives_a_null_percent_for_a_zero_actual_and_the_csv_says_the_same(api_client, viewer, trained):
    answer = _get(api_client, viewer, "comparison", series="sales:D001", from_date="2026-11-28", to_date="2026-12-01")
    rows = {r["day"]: r for r in _body(answer)["data"]}
    assert answer.status_code == 200 and list(rows) == ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"]
    zero = rows["2026-11-29"]
    assert (Decimal(zero["actual"]), zero["error_pct"], Decimal(zero["error"])) == (0, None, Decimal(zero["predicted"]))
    known = rows["2026-11-30"]
    actual = DailySales.objects.get(department__code="D001", day=LAST).amount
    error = Decimal(known["predicted"]) - actual
    assert (Decimal(known["actual"]), Decimal(known["error"])) == (actual, error)
    assert Decimal(known["error_pct"]) == (abs(error) / actual * 100).quantize(Decimal("0.01"))
    assert (rows["2026-12-01"]["actual"], rows["2026-12-01"]["error_pct"]) == (None, None)  # not known yet
    assert {r["origin"] for r in rows.values()} == {"2026-11-27"}  # all made from the actuals before the range

    exported = _get(api_client, viewer, "export", series="sales:D001", from_date="2026-11-28", to_date="2026-12-01")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert [(r["day"], r["error_pct"]) for r in table] == [
        ("2026-11-28", str(rows["2026-11-28"]["error_pct"])), ("2026-11-29", ""), ("2026-11-30",
                                                                                str(known["error_pct"])),
        ("2026-12-01", "")]


def test_a_short_history_is_answered_by_the_baseline_which_says_so(api_client, viewer, trained):
    young = Department.objects.create(code="D009", name="New", iiko_id="dep-9")
    DailySales.objects.bulk_create([DailySales(department=young, day=LAST - timedelta(days=i), amount=Decimal(100 + i),
                                               orders=1, currency="KZT", synced_at=trained.trained_at)
                                    for i in range(10)])
    data = _body(_get(api_client, viewer, "forecast", series="sales:D009", date="2026-12-02"))["data"]
    assert (data["method"], Decimal(data["predicted"])) == ("seasonal_naive", Decimal(105))  # 2026-11-25's actual
    assert "10 days of actuals, fewer than the 56 the model needs" in data["note"]


def test_a_live_model_of_an_older_feature_set_is_not_fed_the_new_columns_the_baseline_answers(api_client, viewer,
                                                                                             trained):
    # As a model of the version before the shrunk weekday factor and the chosen level: the same number of
    # columns, one of another name (and its scale another baseline), so its file must not be fed these rows.
    older = [("weekday_factor" if name == "weekday_factor_shrunk" else name) for name in trained.features]
    ForecastModel.objects.filter(pk=trained.pk).update(features=older)
    answer = _get(api_client, viewer, "forecast", series="sales:D001", date="2026-12-02")
    data = _body(answer)["data"]
    assert answer.status_code == 200 and data["method"] == "seasonal_naive"
    assert f"model v{trained.version} was trained on features this version no longer computes" in data["note"]


def test_the_model_card_and_the_registry(api_client, viewer, trained):
    card = _get(api_client, viewer, "model").json()["data"]
    assert (card["version"], card["status"], card["window"]) == (1, "live", {"first": "2026-07-04",
                                                                             "last": "2026-11-30"})
    assert "same_weekday_1" in card["features"] and card["decision"]["deploy"] is True
    assert set(card["backtest"]) == {"seasonal_naive", "lightgbm"}
    assert card["backtest"]["lightgbm"]["sales"]["1"]["mape"] > 0
    assert [m["version"] for m in _get(api_client, viewer, "models").json()["data"]] == [1]


def test_retrain_answers_202_and_queues_the_task(api_client, finance_manager, viewer,
                                                 django_capture_on_commit_callbacks):
    api_client.force_authenticate(viewer)
    assert api_client.post("/api/v1/forecasts/retrain").status_code == 403
    api_client.force_authenticate(finance_manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = api_client.post("/api/v1/forecasts/retrain")
    assert answer.status_code == 202 and answer.json()["data"] == {"queued": True, "result": "/api/v1/forecasts/models"}
    assert len(callbacks) == 1  # the task is sent after commit (the broker is not part of this test)
    sales_history(departments=2, days=150, last=date.today() - timedelta(days=1))
    assert retrain(trigger="api") == 1  # what the worker runs
    assert ForecastModel.objects.get().trigger == "api"


@pytest.mark.parametrize(("path", "params", "status", "text"), [
    ("forecast", {"series": "sales:D404", "date": "2026-12-01"}, 404, "unknown series 'sales:D404'"),
    ("forecast", {"series": "weather:x", "date": "2026-12-01"}, 404, "unknown series 'weather:x'"),
    ("batch", {"from_date": "2026-12-01", "to_date": "2027-01-15"}, 400, "a range of at most 31 days"),
    ("comparison", {"from_date": "2026-12-05", "to_date": "2026-12-01"}, 400, "on or before to_date"),
    ("forecast", {"series": "sales:D001"}, 400, "expected a date as YYYY-MM-DD"),
    ("model", {}, 409, "no live forecasting model yet"),
    ("batch", {"from_date": "2026-12-01", "to_date": "2026-12-02"}, 409, "no live forecasting model yet"),
])
def test_bad_input_is_answered_in_the_envelope(api_client, viewer, path, params, status, text):
    sales_history(departments=1, days=10, last=LAST)
    answer = _get(api_client, viewer, path, **params)
    assert answer.status_code == status
    assert text in str(answer.json()["error"])


def test_a_date_too_far_past_the_last_actual_is_a_400_naming_the_limit(api_client, viewer, trained):
    answer = _get(api_client, viewer, "forecast", series="sales:D001", date="2027-01-15")
    assert answer.status_code == 400
    assert "a forecast reaches at most 31 days ahead" in str(answer.json()["error"])
