"""What the credit portfolio announces: an import committed rows that changed the portfolio."""

from django.dispatch import Signal

# Sent after commit by the write path with ``inserted`` and ``updated`` (row counts of the batch).
portfolio_changed = Signal()
