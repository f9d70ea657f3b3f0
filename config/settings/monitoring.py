"""Monitoring and alerts: the protected /metrics endpoint, the alert e-mails to finance admins, retention."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import VAR_DIR, env

# Bearer token a Prometheus scraper sends (`Authorization: Bearer <token>`) to read /metrics.
# Empty: only a logged-in finance_admin can read it.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# prometheus-client's multiprocess mode: every web process (runserver, each gunicorn worker) writes
# its request latencies and cache hits here and /metrics adds them up. It must be in the
# environment before prometheus_client is first imported, which settings always precede.
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default=str(VAR_DIR / "prometheus"))
os.makedirs(PROMETHEUS_MULTIPROC_DIR, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = PROMETHEUS_MULTIPROC_DIR

# Alerts go to the active users of the finance_admin group that have an e-mail, plus these addresses.
ALERT_EMAILS = env.list("ALERT_EMAILS", default=[])
# A provider whose last successful sync is older than this is "silent" (checked by a beat task).
ALERT_SILENT_MINUTES = env.int("ALERT_SILENT_MINUTES", default=60)
ALERT_CHECK_EVERY_MINUTES = env.int("ALERT_CHECK_EVERY_MINUTES", default=5)
# A reconciliation whose share of discrepancies (0..1) is above this alerts.
ALERT_DISCREPANCY_SHARE = env.float("ALERT_DISCREPANCY_SHARE", default=0.05)

# Closed alert incidents, task failures and finished sync runs older than this many days are deleted
# every night (what they counted stays on /metrics); 0 keeps them forever. Business history is never pruned.
OPERATIONS_RETENTION_DAYS = env.int("OPERATIONS_RETENTION_DAYS", default=90)
if OPERATIONS_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("OPERATIONS_RETENTION_DAYS must be 0 (keep forever) or a number of days.")
# Exports and PDF reports written for a request: fetched within minutes, kept a week for a second download.
PREPARED_FILE_RETENTION_DAYS = env.int("PREPARED_FILE_RETENTION_DAYS", default=7)
if PREPARED_FILE_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("PREPARED_FILE_RETENTION_DAYS must be 0 (keep forever) or a number of days.")
