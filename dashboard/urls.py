"""/admin/ itself: the dashboard view, matched before the admin's own URLs (included by config/urls.py)."""

from django.contrib import admin
from django.urls import path

from dashboard import views

urlpatterns = [
    # admin_view: the admin's own staff check and login redirect; the URL still reverses as admin:index.
    path("", admin.site.admin_view(views.index), name="dashboard"),
]
