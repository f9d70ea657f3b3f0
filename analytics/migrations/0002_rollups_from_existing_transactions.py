"""Installs that already hold transactions get their rollups built once, from the table itself."""

from django.db import migrations


def build_rollups(apps, schema_editor):
    Transaction = apps.get_model("transactions", "Transaction")
    first = Transaction.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return
    last = Transaction.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    from datetime import timedelta

    from analytics.services import rollups_rebuild
    from analytics.spans import Span, span_start

    rollups_rebuild(start=span_start(first, Span.DAY), end=span_start(last, Span.DAY) + timedelta(days=1))


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial"), ("transactions", "0003_seed_payshack_mapping")]

    operations = [migrations.RunPython(build_rollups, migrations.RunPython.noop)]
