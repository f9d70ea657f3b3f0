"""Facts the integrations app announces; receivers elsewhere (monitoring, alerts) decide what to do."""

from django.dispatch import Signal

# A sync run (transactions or metadata) has ended and its SyncRun row holds the final status,
# counts and error. Sent with ``run`` (the SyncRun). Sent robustly: a failing receiver is logged
# and never changes how the run ended.
sync_run_finished = Signal()
