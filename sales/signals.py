"""Facts the sales app announces; receivers (forecasting, caches) decide what to do."""

from django.dispatch import Signal

# Sent after commit with ``days``: the local days whose sales were replaced.
sales_changed = Signal()
