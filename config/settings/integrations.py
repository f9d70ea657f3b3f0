"""Provider settings; each integration builds its own typed settings object from these."""

from config.env import env

# The embedded default points at the demo sandbox that `make run` starts (see Procfile.dev).
VIMA_BASE_URL = env.str("VIMA_BASE_URL", default="http://127.0.0.1:8701/collector1/api/v1")
VIMA_API_KEY = env.str("VIMA_API_KEY", default="sandbox-key")
VIMA_TIMEOUT_SECONDS = env.float("VIMA_TIMEOUT_SECONDS", default=30.0)
# Minutes between scheduled Vima syncs (written to django-celery-beat by setup_schedules).
VIMA_SYNC_EVERY_MINUTES = env.int("VIMA_SYNC_EVERY_MINUTES", default=5)

# PayShack (SPEC 5.2): its JSON API and its web portal; the defaults point at the demo sandbox.
PAYSHACK_API_URL = env.str("PAYSHACK_API_URL", default="http://127.0.0.1:8702")
PAYSHACK_PORTAL_URL = env.str("PAYSHACK_PORTAL_URL", default="http://127.0.0.1:8702/portal")
PAYSHACK_EMAIL = env.str("PAYSHACK_EMAIL", default="finance@91game.example")
PAYSHACK_PASSWORD = env.str("PAYSHACK_PASSWORD", default="sandbox-password")
# api: the JSON API; portal: the web portal in a real browser (when the API is unavailable).
PAYSHACK_MODE = env.str("PAYSHACK_MODE", default="api")
PAYSHACK_TIMEOUT_SECONDS = env.float("PAYSHACK_TIMEOUT_SECONDS", default=30.0)
# Statuses change late: every run re-reads this many hours before where it stood.
PAYSHACK_LOOKBACK_HOURS = env.int("PAYSHACK_LOOKBACK_HOURS", default=24)
# A fresh install reads this many days back.
PAYSHACK_INITIAL_DAYS = env.int("PAYSHACK_INITIAL_DAYS", default=30)
PAYSHACK_SYNC_EVERY_MINUTES = env.int("PAYSHACK_SYNC_EVERY_MINUTES", default=10)
PAYSHACK_METADATA_EVERY_MINUTES = env.int("PAYSHACK_METADATA_EVERY_MINUTES", default=30)
PLAYWRIGHT_CHROMIUM_EXECUTABLE = env.str("PLAYWRIGHT_CHROMIUM_EXECUTABLE", default="/usr/bin/chromium")

# The 1C exchange service (SPEC 14): departments; the default is `make run`'s sandbox.
ONEC_BASE_URL = env.str("ONEC_BASE_URL", default="http://127.0.0.1:8704/v1")
ONEC_API_KEY = env.str("ONEC_API_KEY", default="sandbox-key")
ONEC_TIMEOUT_SECONDS = env.float("ONEC_TIMEOUT_SECONDS", default=30.0)

# iiko (SPEC 14): departments and the SALES report; the default is `make run`'s sandbox.
IIKO_BASE_URL = env.str("IIKO_BASE_URL", default="http://127.0.0.1:8705")
IIKO_LOGIN = env.str("IIKO_LOGIN", default="admin")
IIKO_PASSWORD = env.str("IIKO_PASSWORD", default="sandbox-password")
IIKO_TIMEOUT_SECONDS = env.float("IIKO_TIMEOUT_SECONDS", default=60.0)
# The points of sale's time zone: sales days are its local days; the nightly sync runs at 02:00 there.
SALES_TIMEZONE = env.str("SALES_TIMEZONE", default="Asia/Almaty")
# The currency of the POS amounts (iiko's DishSumInt).
SALES_CURRENCY = env.str("SALES_CURRENCY", default="KZT")
# The gap check looks this many days back (up to yesterday) for days with departments missing.
SALES_GAP_DAYS = env.int("SALES_GAP_DAYS", default=7)
