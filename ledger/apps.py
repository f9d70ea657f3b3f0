from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """The double-entry general ledger (SPEC section 11): chart, vouchers, periods, rules, balances."""

    name = "ledger"
    verbose_name = "General ledger"

    def ready(self):
        from ledger import receivers  # noqa: F401 — connects the signal receivers
