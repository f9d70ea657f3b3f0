from django.apps import AppConfig


class CreditPortfolioConfig(AppConfig):
    name = "credit_portfolio"
    verbose_name = "Credit portfolio"
    default_auto_field = "django.db.models.BigAutoField"
