"""Facts the reconciliation app announces; receivers elsewhere (monitoring's alerts) decide what to do."""

from django.dispatch import Signal

# A run has succeeded: its ReconciliationRun row holds the final counts (``run.counts``, ``run.total``).
# Sent with ``run`` after the run's commit. Sent robustly: a failing receiver is logged and never
# changes how the run ended.
reconciliation_run_succeeded = Signal()
