from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The admin's home page for finance staff: KPIs, trends, syncs and reconciliation at a glance."""

    name = "dashboard"
    default_auto_field = "django.db.models.BigAutoField"
