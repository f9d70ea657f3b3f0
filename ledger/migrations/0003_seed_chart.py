"""The seeded chart, journals and rules (editable in the admin). The ledger's system user is created on first
use (``ledger.services.vouchers.system_user``)."""

from django.db import migrations


def seed(apps, schema_editor):
    from ledger.seed import chart_seed

    chart_seed(account_model=apps.get_model("ledger", "Account"), journal_model=apps.get_model("ledger", "Journal"),
               rule_model=apps.get_model("ledger", "PostingRule"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_posted_vouchers_guard")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
