"""Routes of /api/v1/, one include per app."""

from django.urls import path

from common.api.views import HealthView

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
]
