"""Top-level URLs: the admin back office and the versioned REST API."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from monitoring.views import metrics

urlpatterns = [
    path("admin/operations/", include("monitoring.urls")),
    path("admin/planning/performance/", include("planning.urls")),
    # The admin home with the dashboard; everything below /admin/ stays the admin's.
    path("admin/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # The predecessor's API, for the finance teams' existing Next.js dashboard (compat/).
    path("api/compat/v1/", include("compat.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("metrics", metrics, name="metrics"),
    # Browsers ask every site for one; without it each admin page logs a 404 in the console.
    # The static URL is resolved per request: with DEBUG off it comes from collectstatic's manifest,
    # which need not exist yet when the URLconf is imported (migrate, checks).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("dashboard/favicon.svg"), permanent=True)),
]

handler404 = "common.api.errors.handler404"
handler500 = "common.api.errors.handler500"
