"""The transaction as the API shows it (SPEC 8): field names are a contract dashboards rely on."""

from rest_framework import serializers

from transactions.models import Transaction

LIST_FIELDS = ("id", "source", "source_id", "reference_id", "client_operation_id", "order_id", "project",
               "merchant_id", "amount", "currency", "fee", "status", "original_status", "direction", "user_id",
               "user_email", "user_phone", "user_name", "country", "utr", "payment_method", "payment_product",
               "created_at", "updated_at", "completed_at", "ingested_at")


class TransactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = LIST_FIELDS


class TransactionDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transaction
        fields = (*LIST_FIELDS, "data_hash", "raw_data")
