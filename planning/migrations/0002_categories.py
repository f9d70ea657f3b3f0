"""The six categories code relies on, with the original data's names for the first four (SPEC 12)."""

from django.db import migrations

CATEGORIES = [
    ("issuance", "видача"),
    ("collection", "збір"),
    ("body", "тіло"),
    ("interest", "відсотки"),
    ("payin_volume", "pay-in volume"),
    ("payout_volume", "pay-out volume"),
]


def seed(apps, schema_editor):
    category = apps.get_model("planning", "Category")
    for code, name in CATEGORIES:
        # A name someone already edited stays as it is.
        category.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
