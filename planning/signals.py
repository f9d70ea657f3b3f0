"""Facts about changed plans and loan-book data, sent after commit; receivers decide what follows."""

from django.dispatch import Signal

# Plans of these category codes were written: ``codes=frozenset[str]``.
plans_changed = Signal()
# Credits, repayments or borrowers were loaded (a load may also bring plans: it sends plans_changed too).
loan_book_changed = Signal()
