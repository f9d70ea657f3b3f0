from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Metrics, rollups, caching and its invalidation, plans, forecasts, exports (SPEC sections 8, 9)."""

    name = "analytics"
    verbose_name = "Analytics"

    def ready(self):
        from analytics import receivers  # noqa: F401 — connects the signal receivers
