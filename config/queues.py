"""Celery queues: their names, the router that picks a provider's queue, and the set a worker needs.

Each provider's syncs (transactions and metadata) go to a queue of their own, ``sync.<provider>``:
a slow provider (a portal run in a browser, a backlog after an outage) never holds up the others,
and a worker can be given to one provider alone. Reconciliation runs and their PDF reports, the
heavy database work, go to ``reconciliation``; everything else (heartbeats, alert checks,
retention) to Celery's default queue. The routing table is ``CELERY_TASK_ROUTES`` in
``config/settings/celery.py``; this module only holds what it refers to.
"""

DEFAULT_QUEUE = "celery"  # Celery's own default name: messages already queued by earlier versions stay found
RECONCILIATION_QUEUE = "reconciliation"
# The tasks that serve every provider, told apart by their ``source`` argument (first positional or keyword).
PROVIDER_SYNC_TASKS = frozenset({"integrations.sync_provider", "integrations.sync_metadata"})


def provider_queue(source: str) -> str:
    """The queue of a source's jobs, as its declaration names it (``sync.<name>`` by default)."""
    from common.sources import declaration

    try:
        return declaration(source).queue_name
    except LookupError:
        return f"sync.{source}"


def route_provider_sync(name, args, kwargs, options, task=None, **kw):
    """Celery router: a provider's sync task goes to that provider's queue; any other task is left to the next route.

    One task serves every provider, so the queue follows the ``source`` argument rather than the name. An
    unknown provider stays on the default queue, where the task fails and is recorded, instead of waiting
    forever on a queue no worker consumes.
    """
    if name not in PROVIDER_SYNC_TASKS:
        return None
    source = (kwargs or {}).get("source", args[0] if args else None)
    if source not in provider_names():
        return None
    return {"queue": provider_queue(source)}


def provider_names() -> list[str]:
    # Imported when first asked: settings name this module before the apps are loaded.
    from common.sources import source_names

    return sorted(source_names())


def all_queues() -> list[str]:
    """Every queue a task can be routed to: what a worker that does everything consumes (``-Q``)."""
    return [DEFAULT_QUEUE, RECONCILIATION_QUEUE, *(provider_queue(name) for name in provider_names())]
