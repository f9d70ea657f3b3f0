"""Seed the one project mapping SPEC 5.2 names, so PayShack's 91game pay-ins land on their project.

Finance staff edit and extend the mappings in the admin; this only adds the row when it is absent.
"""

from django.db import migrations


def seed(apps, schema_editor):
    ProjectMapping = apps.get_model("transactions", "ProjectMapping")
    ProjectMapping.objects.get_or_create(
        source="payshack", provider_name="91G_TECH_PVT_LTD",
        defaults={"project": "91game", "note": "Seeded from SPEC 5.2"},
    )


class Migration(migrations.Migration):
    dependencies = [("transactions", "0002_alter_transaction_raw_data")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
