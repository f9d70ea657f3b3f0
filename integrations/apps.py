from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Provider integrations"

    def ready(self):
        from integrations.core.registry import register_normalizer
        from integrations.vima.normalizer import normalize_operation

        register_normalizer("vima", lambda: (normalize_operation, {}))
