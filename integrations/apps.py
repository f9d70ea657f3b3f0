from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Provider integrations"

    def ready(self):
        from common.sources import discover

        discover()  # every package's sources.py declares its source (common/sources.py)
