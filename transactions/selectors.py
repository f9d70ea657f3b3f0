"""Reads of the transactions app that other apps use."""

from transactions.models import ProjectMapping


def project_mapping(source: str) -> dict[str, str]:
    """Provider client name → our project, for one source (the normalizers' reference data)."""
    return dict(ProjectMapping.objects.filter(source=source).values_list("provider_name", "project"))
