"""The admin's import and export buttons (django-import-export), with errors shown as plain messages.

django-import-export prints a Python traceback (server paths included) under an error that stops a whole
file, such as a wrong header; here the message alone is shown, with DEBUG on or off. The formats offered
are the setting ``IMPORT_EXPORT_FORMATS`` (CSV and XLSX).
"""

from import_export.admin import ImportExportModelAdmin


class PlainErrorsImportExportAdmin(ImportExportModelAdmin):
    """``ImportExportModelAdmin`` whose import page shows an error's message, never its traceback."""

    import_template_name = "common/admin/import.html"
    import_error_display = ("message",)
