"""The operations page, under /admin/operations/ (included before the admin's own URLs)."""

from django.urls import path

from monitoring import admin_views

app_name = "operations"

urlpatterns = [
    path("", admin_views.operations, name="index"),
    path("cache/<str:namespace>/bump", admin_views.cache_bump, name="cache-bump"),
    path("schedules/<int:task_id>/toggle", admin_views.schedule_switch, name="schedule-toggle"),
    path("schedules/<int:task_id>/run", admin_views.schedule_run, name="schedule-run"),
]
