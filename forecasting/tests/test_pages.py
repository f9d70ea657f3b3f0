"""The dashboard's forecast chart and the admin pages of forecasting and sales."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from forecasting.models import ForecastModel
from forecasting.services import model_retrain
from forecasting.tests.builders import sales_history
from sales.models import DailySales

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small(settings, tmp_path):
    settings.FORECAST_BACKTEST_WEEKS = 2
    settings.FORECAST_TRAINING_DAYS = 150
    settings.MEDIA_ROOT = str(tmp_path)


def test_without_a_live_model_the_chart_says_so(client, viewer):
    client.force_login(viewer)
    page = client.get("/admin/")
    assert page.context["dashboard_forecast"]["rows"] == []
    assert "No live forecasting model yet" in page.content.decode()


def test_the_chart_shows_forecast_actual_and_interval_of_a_series(client, viewer):
    yesterday = timezone.now().date() - timedelta(days=1)
    sales_history(departments=2, days=150, last=yesterday)
    model_retrain(trigger="command", last=yesterday)
    client.force_login(viewer)
    page = client.get("/admin/", {"forecast_series": "sales:D002"})
    chart = page.context["dashboard_forecast_chart"]
    assert chart["series"] == "sales:D002" and len(chart["labels"]) == 21
    actual = DailySales.objects.get(department__code="D002", day=yesterday).amount
    assert chart["actual"][13] == str(actual) and chart["actual"][14:] == [None] * 7  # the days ahead have none yet
    assert all(Decimal(lo) <= Decimal(p) <= Decimal(hi) for lo, p, hi in zip(chart["lower"], chart["predicted"],
                                                                             chart["upper"], strict=True))
    assert 'id="forecast-data"' in page.content.decode()
    unknown = client.get("/admin/", {"forecast_series": "sales:nope"})
    assert "No series sales:nope to show." in unknown.content.decode()


def test_the_admin_lists_models_accuracy_and_sales(client, finance_admin, django_capture_on_commit_callbacks):
    sales_history(departments=1, days=100, last=date(2026, 11, 30))
    client.force_login(finance_admin)
    for page in ("forecasting/forecastmodel", "forecasting/accuracyentry", "forecasting/storedforecast",
                 "sales/dailysales", "sales/hourlysales", "sales/department"):
        assert client.get(f"/admin/{page}/").status_code == 200, page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = client.post("/admin/forecasting/forecastmodel/retrain/")
    assert answer.status_code == 302 and len(callbacks) == 1
    assert ForecastModel.objects.count() == 0  # queued, not run in the request
