"""Django settings shared by every run mode; topic files are imported at the end."""

from django.core.exceptions import ImproperlyConfigured

from config.env import BASE_DIR, DEBUG, VAR_DIR, env

VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "embedded-default-insecure-key-for-local-use-only-do-not-deploy"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "import_export",
    "django_celery_beat",
    # Audit history of reconciliation reviews (who, when, before, after).
    "simple_history",
    "common",
    "transactions",
    "integrations",
    "reconciliation",
    "analytics",
    "monitoring",
    "sales",
    "forecasting",
    "planning",
    "lending",
    "credit_portfolio",
    "ledger",
    # After monitoring: its admin home template extends monitoring's.
    "dashboard",
    "compat",
]

MIDDLEWARE = [
    # First, so that the latency it records covers every other middleware too.
    "monitoring.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so that preflight requests are answered with the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Inside CORS (its headers go on the rewritten answer too): every 404 under /api/ is JSON.
    "common.api.middleware.ApiNotFoundMiddleware",
    "common.api.middleware.ApiRequestUriLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user on audit history rows.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Times are stored in UTC; a business time zone for day cuts is a reconciliation parameter.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Browser libraries from the npm registry at the versions package-lock.json pins (`make` runs `npm ci`), served
# as our own static files: these machines have no internet, and pages never load from a CDN.
STATICFILES_DIRS = [("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Some indexes carry extra columns (INCLUDE) so that PostgreSQL answers from the index alone; SQLite,
# the embedded default, builds them without those columns, which only costs it speed.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {"kombu_no_hostname": {"()": "config.logfilters.KombuNoHostname"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One line per provider request is noise at INFO; failures are logged by our own retry code.
        "httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"},
        # A 4xx is the client's mistake, answered with the error envelope, and the server's access line
        # (django.server, gunicorn) already shows it: django.request logs only the 5xx, once.
        "django.request": {"level": "ERROR"},
        "kombu.connection": {"filters": ["kombu_no_hostname"]},
    },
}

from config.settings.api import *  # noqa: E402,F403
from config.settings.cache import *  # noqa: E402,F403
from config.settings.celery import *  # noqa: E402,F403
from config.settings.credit_portfolio import *  # noqa: E402,F403
from config.settings.database import *  # noqa: E402,F403
from config.settings.email import *  # noqa: E402,F403
from config.settings.forecasting import *  # noqa: E402,F403
from config.settings.integrations import *  # noqa: E402,F403
from config.settings.ledger import *  # noqa: E402,F403
from config.settings.monitoring import *  # noqa: E402,F403
from config.settings.planning import *  # noqa: E402,F403
from config.settings.reconciliation import *  # noqa: E402,F403
from config.settings.security import *  # noqa: E402,F403
