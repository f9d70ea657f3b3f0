"""The base of every admin import (django-import-export): rows validated as the model validates them, and a
file whose header lacks a column refused with a plain message naming what was expected and found."""

from import_export import resources


class ImportHeaderError(ValueError):
    """The file's first row does not name the columns the import needs."""


class ValidatedModelResource(resources.ModelResource):
    """A ``ModelResource`` whose rows go through the model's ``full_clean`` (choices, blank fields,
    constraints), so a bad row is shown in the dry run and nothing is written."""

    class Meta:
        clean_model_instances = True

    def before_import(self, dataset, **kwargs):
        expected = list(self._meta.fields or ())
        found = [str(header).strip() for header in dataset.headers or ()]
        missing = [name for name in expected if name not in found]
        if missing:
            raise ImportHeaderError(
                f"The file's first row must name the columns {', '.join(expected)}; it names "
                f"{', '.join(found) or 'nothing'} (missing: {', '.join(missing)})."
            )
        super().before_import(dataset, **kwargs)
