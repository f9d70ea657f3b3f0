"""`manage.py worker [celery worker options]`: a Celery worker that consumes every queue a task can be routed to.

The queues come from ``config.queues.all_queues()``, so they follow the source registry: a provider declared
in its package is consumed here without anyone editing the Procfile or the compose file. Options are passed to
``celery worker`` as they are; a ``-Q``/``--queues`` given here replaces the full list (a worker of its own for
one provider).
"""

from django.core.management.base import BaseCommand

from config.celery import app
from config.queues import all_queues


class Command(BaseCommand):
    help = "Start a Celery worker on every queue (any option is passed to `celery worker`)."

    def run_from_argv(self, argv):
        # Celery parses its own options: Django's parser would refuse them.
        app.worker_main(worker_argv(argv[2:]))


def worker_argv(options: list[str]) -> list[str]:
    """The ``celery worker`` argument list: the given options, and every queue unless they name some."""
    names_queues = any(word in ("-Q", "--queues") or word.startswith(("--queues=", "-Q")) for word in options)
    return ["worker", *options] if names_queues else ["worker", "-Q", ",".join(all_queues()), *options]
