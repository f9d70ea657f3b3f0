"""django-import-export resources: FX rates in and out as CSV/XLSX (a bank's fixing table, say)."""

from analytics.models import FxRate
from common.resources import ValidatedModelResource


class FxRateResource(ValidatedModelResource):
    """Rates matched on (base, quote, day): importing a corrected table updates, never duplicates."""

    class Meta:
        model = FxRate
        fields = ("day", "base", "quote", "rate", "source")
        import_id_fields = ("base", "quote", "day")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
