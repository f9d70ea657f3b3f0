"""Files written by a worker for requests too big to answer at once (the reconciliation PDF, large XLSX
exports), one mechanism for all of them: request it (202 with its URL), a worker renders it, fetch it.

A renderer is a function ``render(prepared: PreparedFile) -> (filename, file object, rows or None)``
named by its dotted path; it reads what it needs from ``prepared.params``.
"""

import base64
import logging
import pickle
import uuid

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from common.models import PreparedFile

logger = logging.getLogger(__name__)


def prepared_file_request(*, renderer: str, params: dict, user=None, key: str = "", projects=None,
                          shared: bool = False) -> PreparedFile:
    """The file asked for: the one already made under ``key`` (a failed one is queued again), or a new one.

    Each request without a ``key`` is a file of its own. The render task is sent once the caller's
    transaction commits.
    """
    limits = sorted(projects) if projects is not None else None
    prepared, created = PreparedFile.objects.get_or_create(
        key=key or f"{renderer}:{uuid.uuid4()}",
        defaults={"renderer": renderer, "params": params, "projects": limits, "shared": shared,
                  "requested_by": user if getattr(user, "is_authenticated", False) else None})
    if not created and prepared.status == PreparedFile.Status.FAILED:
        prepared.status, prepared.error, prepared.finished_at = PreparedFile.Status.QUEUED, "", None
        prepared.save(update_fields=["status", "error", "finished_at"])
    elif not created:
        return prepared
    from common.tasks import render_prepared_file

    transaction.on_commit(lambda: render_prepared_file.delay(prepared.pk))
    return prepared


def prepared_file_render(*, file_id: int) -> PreparedFile:
    """Write the file with its renderer and store it; a failure is kept on the row (and raised for the task's log).

    A file already rendered is left alone (a redelivered message).
    """
    prepared = PreparedFile.objects.get(pk=file_id)
    if prepared.status != PreparedFile.Status.QUEUED:
        return prepared
    try:
        name, content, rows = import_string(prepared.renderer)(prepared)
        with content:
            prepared.file.save(name, File(content), save=False)
        prepared.filename, prepared.rows = name, rows
        prepared.status, prepared.finished_at = PreparedFile.Status.READY, timezone.now()
        prepared.save(update_fields=["file", "filename", "rows", "status", "finished_at"])
    except Exception as exc:
        logger.exception("prepared file %s (%s) failed", prepared.pk, prepared.renderer)
        prepared.status, prepared.error = PreparedFile.Status.FAILED, f"{type(exc).__name__}: {exc}"
        prepared.finished_at = timezone.now()
        prepared.save(update_fields=["status", "error", "finished_at"])
        raise
    return prepared


def queryset_param(queryset) -> str:
    """A queryset's query as a parameter a worker can rebuild it from (Django's pickling of ``Query``).

    Whatever narrowed it (the API's filters, an admin changelist's filters and search, a project limit)
    travels with it. Only this code writes these rows, so unpickling them trusts nothing from outside.
    """
    return base64.b64encode(pickle.dumps(queryset.query)).decode()


def queryset_from_param(model, value: str):
    queryset = model.objects.all()
    queryset.query = pickle.loads(base64.b64decode(value))  # noqa: S301 — written by queryset_param only
    return queryset
