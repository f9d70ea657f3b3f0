"""The seeded chart, journals and rules (editable in the admin) and the ledger's system user."""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from ledger.seed import chart_seed, system_user_seed

    chart_seed(account_model=apps.get_model("ledger", "Account"), journal_model=apps.get_model("ledger", "Journal"),
               rule_model=apps.get_model("ledger", "PostingRule"))
    system_user_seed(user_model=apps.get_model(*settings.AUTH_USER_MODEL.split(".")),
                     username=settings.LEDGER_SYSTEM_USERNAME)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_posted_vouchers_guard"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
