"""Top-level URLs: the admin back office and the versioned REST API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
]

handler404 = "common.api.errors.handler404"
handler500 = "common.api.errors.handler500"
