"""Metrics counted in the web processes themselves (prometheus-client, multiprocess mode).

Each process writes its values to a file under PROMETHEUS_MULTIPROC_DIR and /metrics adds the
files up, so a scrape answered by any gunicorn worker shows all of them. Everything the Celery
workers do is read from the database at scrape time instead (see collectors.py): workers may run
on other machines, where no shared folder reaches.
"""

from prometheus_client import Histogram

HTTP_REQUEST_DURATION = Histogram(
    "hub_http_request_duration_seconds",
    "Time to answer an HTTP request, per view (URL name or route), method and status code.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
