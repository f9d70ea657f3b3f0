"""A covering (span, slot) index on the rollups: metrics sum a period from the index alone."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0002_rollups_from_existing_transactions'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='transactionrollup',
            index=models.Index(fields=['span', 'slot'], include=('source', 'project', 'status', 'currency', 'direction', 'count', 'amount_e4', 'fee_e4'), name='rollup_span_slot_covering'),
        ),
    ]
