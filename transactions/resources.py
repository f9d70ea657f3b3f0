"""django-import-export resources: the project-mapping import/export (transactions export through
``transactions.exports``, streamed)."""

from common.resources import ValidatedModelResource
from transactions.models import ProjectMapping


class ProjectMappingResource(ValidatedModelResource):
    """Import/export of the provider-name → project table, matched on (source, provider_name)."""

    class Meta:
        model = ProjectMapping
        fields = ("source", "provider_name", "project", "note")
        import_id_fields = ("source", "provider_name")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
