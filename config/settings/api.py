"""Django REST framework: authentication, the error envelope, pagination, throttling."""

from import_export.formats.base_formats import CSV, XLSX

from config.env import env

# django-import-export: importing needs the model's change permission, exporting its view permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Its exports (project mappings, FX rates) escape cells a spreadsheet would run as formulas, as ours do.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# The formats its import and export buttons offer: the two finance staff use (its HTML import answered 500).
IMPORT_EXPORT_FORMATS = [CSV, XLSX]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
        "common.api.authentication.ProjectScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.api.permissions.IsViewer"],
    "DEFAULT_RENDERER_CLASSES": ["common.api.renderers.ExactJSONRenderer"],
    # JSON bodies only, bounded in size and depth (a form or multipart body is a 415).
    "DEFAULT_PARSER_CLASSES": ["common.api.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Serializers hand Decimals to the renderer, which writes them as exact JSON numbers (SPEC 8: `number`).
    "COERCE_DECIMAL_TO_STRING": False,
    # ``format`` is an export parameter here (csv, xlsx), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "EXCEPTION_HANDLER": "common.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# OpenAPI (drf-spectacular) at /api/schema/, Swagger UI at /api/docs/ with its files served locally
# (drf-spectacular-sidecar): these machines, and many production networks, reach no CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "Finance operations hub API",
    "DESCRIPTION": "Transactions, sync, reconciliation and metrics. Errors: {error: {code, message, details}}.",
    "VERSION": "v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the sources' choice set, wherever a field uses it (source, left_source…): the declarations'.
    "ENUM_NAME_OVERRIDES": {"SourceEnum": "common.sources.source_choices", "StatusEnum": "transactions.choices.Status",
                            "LedgerVoucherStatusEnum": "ledger.choices.VoucherStatus",
                            "LedgerPeriodStatusEnum": "ledger.choices.PeriodStatus",
                            "ReviewStateEnum": "reconciliation.choices.ReviewState"},
    "TAGS": [{"name": "compat", "description": "/api/compat/v1/: the predecessor's API for the existing Next.js "
                                               "dashboard: flat JSON bodies (no `data` wrapper), JSON numbers, the "
                                               "same authentication, project limits and figures as /api/v1/."}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.add_error_responses",
    ],
}

# Browsers on these origins (a separately hosted dashboard) may call the API: comma-separated,
# e.g. https://dash.example.com. Empty: no cross-origin access.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
