"""The Celery app. Tasks live in each app's tasks.py; schedules live in django-celery-beat."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("finance_hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def leave_the_workers_process_group(**kwargs):
    """A pool process leaves its worker's process group.

    Supervisors stop a process by signalling its whole group (honcho on Ctrl-C in ``make run``,
    ``kill -- -PID``). Reached that way, every pool process died by SIGTERM mid-task, logged as an error,
    while the worker's main process was still shutting down in order. Out of the group, only the main
    process hears it: it lets running tasks finish (warm shutdown) and stops its pool itself.
    """
    os.setpgid(0, 0)
