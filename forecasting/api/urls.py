"""Routes of /api/v1/forecasts/."""

from django.urls import path

from forecasting.api import views

urlpatterns = [
    path("forecasts/forecast", views.ForecastView.as_view(), name="forecasts-forecast"),
    path("forecasts/batch", views.BatchView.as_view(), name="forecasts-batch"),
    path("forecasts/comparison", views.ComparisonView.as_view(), name="forecasts-comparison"),
    path("forecasts/export", views.ExportView.as_view(), name="forecasts-export"),
    path("forecasts/retrain", views.RetrainView.as_view(), name="forecasts-retrain"),
    path("forecasts/model", views.ModelView.as_view(), name="forecasts-model"),
    path("forecasts/models", views.ModelsView.as_view(), name="forecasts-models"),
]
