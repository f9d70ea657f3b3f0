"""The unified transaction and the reference data that maps providers' names onto it."""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from common.sources import source_choices
from transactions.choices import Direction, Status
from transactions.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, format_money


class Transaction(models.Model):
    """One payment as one provider reports it, in the unified shape of SPEC section 4.

    Identity is (source, source_id). Rows are written only by ``transactions_upsert``, which
    skips a row whose ``data_hash`` (of the normalized business fields) is unchanged. Times are
    UTC; ``created_at``/``updated_at``/``completed_at`` are the provider's, ``ingested_at`` ours.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(max_length=16, choices=source_choices)
    source_id = models.CharField(max_length=128)
    reference_id = models.CharField(max_length=128, blank=True, default="")
    client_operation_id = models.CharField(max_length=128, blank=True, default="")
    order_id = models.CharField(max_length=128, blank=True, default="")
    project = models.CharField(max_length=64, blank=True, default="")
    merchant_id = models.CharField(max_length=128, blank=True, default="")
    amount = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    currency = models.CharField(max_length=3)
    fee = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    original_status = models.CharField(max_length=64, blank=True, default="")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    user_id = models.CharField(max_length=128, blank=True, default="")
    user_email = models.CharField(max_length=254, blank=True, default="")
    user_phone = models.CharField(max_length=32, blank=True, default="")
    user_name = models.CharField(max_length=255, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")
    utr = models.CharField(max_length=64, blank=True, default="")
    payment_method = models.CharField(max_length=64, blank=True, default="")
    payment_product = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    source_create_cursor = models.CharField(max_length=64, blank=True, default="")
    source_update_cursor = models.CharField(max_length=64, blank=True, default="")
    raw_data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    data_hash = models.CharField(max_length=64)
    ingested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="transaction_source_identity"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="transaction_status_known"),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values), name="transaction_direction_known"
            ),
            models.CheckConstraint(condition=~models.Q(source_id=""), name="transaction_source_id_present"),
        ]
        # One index per list filter, in the list's order (created_at, then id), carrying the other two
        # filters: whichever filters a request combines, PostgreSQL walks the most selective index and
        # checks the rest from the index alone, and the list's deferred join skips deep offsets
        # without touching the table. (SQLite builds them without the INCLUDE part.)
        indexes = [
            models.Index(fields=["source", "created_at", "id"], include=["project", "status"],
                         name="transaction_source_listing"),
            models.Index(fields=["project", "created_at", "id"], include=["source", "status"],
                         name="transaction_project_listing"),
            models.Index(fields=["status", "created_at", "id"], include=["source", "project"],
                         name="transaction_status_listing"),
            # Only filled keys are indexed (a search for a key is never a search for ""): Vima rows have no
            # order id, so each of them costs one index insert less. (PayShack fills both keys.)
            models.Index(fields=["client_operation_id"], condition=~models.Q(client_operation_id=""),
                         name="transaction_client_op_set"),
            models.Index(fields=["order_id"], condition=~models.Q(order_id=""), name="transaction_order_set"),
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.source}:{self.source_id} {format_money(self.amount, self.currency)} {self.status}"


class ProjectMapping(models.Model):
    """Reference data: how a provider names a client (e.g. PayShack's ``91G_TECH_PVT_LTD``) → our project.

    Finance staff edit it in the admin; normalizers receive it as a plain dict, never query it.
    """

    source = models.CharField(max_length=16, choices=source_choices)
    provider_name = models.CharField(max_length=128, help_text="The client name exactly as the provider writes it.")
    project = models.CharField(max_length=64, help_text="Our project slug, e.g. 91game.")
    note = models.CharField(max_length=255, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "provider_name"], name="project_mapping_unique_name"),
        ]
        ordering = ["source", "provider_name"]

    def __str__(self):
        return f"{self.source}:{self.provider_name} → {self.project}"
