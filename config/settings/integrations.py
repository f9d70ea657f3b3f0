"""Provider settings; each integration builds its own typed settings object from these."""

from config.env import env

# The embedded default points at the demo sandbox that `make run` starts (see Procfile.dev).
VIMA_BASE_URL = env.str("VIMA_BASE_URL", default="http://127.0.0.1:8701/collector1/api/v1")
VIMA_API_KEY = env.str("VIMA_API_KEY", default="sandbox-key")
VIMA_TIMEOUT_SECONDS = env.float("VIMA_TIMEOUT_SECONDS", default=30.0)
# Minutes between scheduled Vima syncs (written to django-celery-beat by setup_schedules).
VIMA_SYNC_EVERY_MINUTES = env.int("VIMA_SYNC_EVERY_MINUTES", default=5)
