from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    """Runs, results, the matching engine and the review workflow (SPEC section 7)."""

    name = "reconciliation"
    verbose_name = "Reconciliation"

    def ready(self):
        from reconciliation import receivers  # noqa: F401 — connects the signal receivers
