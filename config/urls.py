"""Top-level URLs: the admin back office and the versioned REST API."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from monitoring.views import metrics

urlpatterns = [
    path("admin/operations/", include("monitoring.urls")),
    # The admin home with the dashboard; everything below /admin/ stays the admin's.
    path("admin/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("metrics", metrics, name="metrics"),
    # Browsers ask every site for one; without it each admin page logs a 404 in the console.
    path("favicon.ico", RedirectView.as_view(url=static("dashboard/favicon.svg"), permanent=True)),
]

handler404 = "common.api.errors.handler404"
handler500 = "common.api.errors.handler500"
