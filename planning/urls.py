"""The plan-against-actual page, under /admin/planning/performance/ (included before the admin's own URLs)."""

from django.contrib import admin
from django.urls import path

from planning import admin_views

app_name = "planning"

urlpatterns = [
    # admin_view: the admin's staff check and login redirect; every finance role may read it.
    path("", admin.site.admin_view(admin_views.performance), name="performance"),
]
