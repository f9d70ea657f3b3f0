from django.apps import AppConfig


class CreditPortfolioConfig(AppConfig):
    name = "credit_portfolio"
    verbose_name = "Credit portfolio"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from credit_portfolio import receivers  # noqa: F401 — connects the signal receivers
