from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Provider integrations"

    def ready(self):
        from integrations import receivers  # noqa: F401 — connects the signal receivers
        from integrations.core.registry import register_normalizer
        from integrations.vima.normalizer import normalize_operation

        register_normalizer("vima", lambda: (normalize_operation, {}))
        register_normalizer("payshack", _payshack_normalizer)


def _payshack_normalizer():
    from integrations.payshack.config import payshack_context
    from integrations.payshack.normalizer import normalize_transaction

    return normalize_transaction, payshack_context()
