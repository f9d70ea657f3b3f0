"""The run index of migration 0008 enters the model state (SQLite rebuilds a table from the state and
would otherwise drop it), and on PostgreSQL its BRIN summarizes each block range as soon as inserts
move past it: without that, block ranges written since the last VACUUM are unsummarized, and every
lookup by run reads all of them."""

from django.db import migrations, models


def autosummarize(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX recon_result_run SET (autosummarize = on)")


def no_autosummarize(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX recon_result_run RESET (autosummarize)")


class Migration(migrations.Migration):

    dependencies = [
        ("reconciliation", "0008_results_by_run_brin_and_discrepancies"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="reconciliationresult",
                    index=models.Index(fields=["run"], name="recon_result_run"),
                ),
            ],
            database_operations=[migrations.RunPython(autosummarize, no_autosummarize)],
        ),
    ]
