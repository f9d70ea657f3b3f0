"""Celery tasks of the common app."""

import socket

from celery import shared_task

from common.services import heartbeat_record


@shared_task(name="common.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Scheduled by beat: proves a worker is consuming the queue."""
    heartbeat_record(name="worker", detail=socket.gethostname())
