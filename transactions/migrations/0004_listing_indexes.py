"""The list's filter indexes in its order (created_at, id) and covering the other filters.

The new indexes are built before the old ones go, so the list is never without one.
"""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('transactions', '0003_seed_payshack_mapping'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='transaction',
            index=models.Index(fields=['source', 'created_at', 'id'], include=('project', 'status'), name='transaction_source_listing'),
        ),
        migrations.AddIndex(
            model_name='transaction',
            index=models.Index(fields=['project', 'created_at', 'id'], include=('source', 'status'), name='transaction_project_listing'),
        ),
        migrations.AddIndex(
            model_name='transaction',
            index=models.Index(fields=['status', 'created_at', 'id'], include=('source', 'project'), name='transaction_status_listing'),
        ),
        migrations.RemoveIndex(
            model_name='transaction',
            name='transaction_source_created',
        ),
        migrations.RemoveIndex(
            model_name='transaction',
            name='transaction_project_created',
        ),
        migrations.RemoveIndex(
            model_name='transaction',
            name='transaction_status_created',
        ),
    ]
