"""Celery: the broker from CELERY_BROKER_URL, or kombu's filesystem transport under var/."""

from config.env import VAR_DIR, env
from config.queues import DEFAULT_QUEUE, RECONCILIATION_QUEUE

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")

if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker" / "queue"
    _processed_dir = VAR_DIR / "broker" / "processed"
    _control_dir = VAR_DIR / "broker" / "control"  # exchange bindings; kombu's default is the working directory
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
        "control_folder": str(_control_dir),
    }

# Run state lives in our own models (SyncRun, ReconciliationRun), so no result backend, and no results to
# expire: without this, beat adds Celery's own "celery.backend_cleanup" among the finance schedules.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Global limits: a stuck task is told to stop, then killed.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=30 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=35 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "common.beat:HeartbeatScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# Queues (config/queues.py says why): each provider's syncs on sync.<provider>, reconciliation and its
# reports on reconciliation, the rest on the default queue. The first route that answers wins. A worker
# that does everything consumes all of them (`manage.py worker`, which Procfile.dev and docker-compose.yml run).
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_ROUTES = [
    # integrations.sync_provider / sync_metadata → sync.<provider>, chosen by their ``source`` argument.
    "config.queues.route_provider_sync",
    {"reconciliation.*": {"queue": RECONCILIATION_QUEUE}},
]

# How often the worker and beat prove they are alive (seconds), and when health calls them down.
HEARTBEAT_INTERVAL = env.int("HEARTBEAT_INTERVAL", default=30)
HEARTBEAT_STALE_AFTER = env.int("HEARTBEAT_STALE_AFTER", default=120)
