"""The category codes code relies on (SPEC 12); their names are data, editable in the admin."""

from django.db import models


class CategoryCode(models.TextChoices):
    ISSUANCE = "issuance", "issuance (money lent out)"
    COLLECTION = "collection", "collection (money collected)"
    BODY = "body", "body (principal)"
    INTEREST = "interest", "interest"
    PAYIN_VOLUME = "payin_volume", "pay-in volume"
    PAYOUT_VOLUME = "payout_volume", "pay-out volume"
