"""Celery tasks of the common app."""

import socket

from celery import shared_task

from common.services import heartbeat_record


@shared_task(name="common.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Scheduled by beat: proves a worker is consuming the queue."""
    heartbeat_record(name="worker", detail=socket.gethostname())


@shared_task(name="common.render_prepared_file", ignore_result=True)
def render_prepared_file(file_id: int) -> None:
    """Write a requested file (a PDF report, a large export) with its renderer (``common.prepared_files``)."""
    from common.prepared_files import prepared_file_render

    prepared_file_render(file_id=file_id)
