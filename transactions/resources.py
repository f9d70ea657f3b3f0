"""django-import-export resources: the transaction export and the project-mapping import/export."""

from import_export import fields, resources

from transactions.models import ProjectMapping, Transaction

EXPORT_FIELDS = (
    "id", "source", "source_id", "reference_id", "client_operation_id", "order_id", "project", "merchant_id",
    "amount", "currency", "fee", "status", "original_status", "direction", "user_id", "user_email", "user_phone",
    "user_name", "country", "utr", "payment_method", "payment_product", "created_at", "updated_at",
    "completed_at", "ingested_at",
)


class TransactionResource(resources.ModelResource):
    """Export of the filtered transaction list; amounts as exact decimal text, times in UTC."""

    amount = fields.Field(attribute="amount", column_name="amount")
    fee = fields.Field(attribute="fee", column_name="fee")

    class Meta:
        model = Transaction
        fields = EXPORT_FIELDS
        export_order = EXPORT_FIELDS

    def dehydrate_amount(self, obj):
        return format(obj.amount, "f")

    def dehydrate_fee(self, obj):
        return "" if obj.fee is None else format(obj.fee, "f")


class ProjectMappingResource(resources.ModelResource):
    """Import/export of the provider-name → project table, matched on (source, provider_name)."""

    class Meta:
        model = ProjectMapping
        fields = ("source", "provider_name", "project", "note")
        import_id_fields = ("source", "provider_name")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
