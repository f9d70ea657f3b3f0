"""One way to hold a named lock for the length of a job: sync, metadata, reconciliation, retention.

On PostgreSQL it is a session advisory lock on the job's database connection: held exactly as long
as the job, released by the server when the connection ends, so a worker killed with ``kill -9``
blocks nobody (its connection dies with it). The embedded SQLite (one machine, the demo) has no such
lock; the expiring lease row (``common.models.Lease``) stands in for it there, renewed by
``JobLock.renew()`` after every batch so that it outlives long jobs but not a dead worker for long.
A lease whose holder is a process of this host that no longer exists is taken over at once
(``holder_dead``): the worker was killed, waiting for the lease to expire would only delay the next job.

    with job_lock("sync:vima", busy=SyncAlreadyRunning("a vima sync is already running")) as lock:
        ...
        lock.renew()   # after each batch: raises LockLost if another holder took it over (SQLite)
"""

import logging
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, connection

from common.errors import ApplicationError, ErrorCode
from common.services import lease_acquire, lease_holder, lease_release, lease_renew, lease_take_over

logger = logging.getLogger(__name__)

# The SQLite lease expires this long after the last renewal: longer than any batch takes.
DEFAULT_LEASE_TTL = timedelta(minutes=5)
_ADVISORY = "hashtextextended(%s, 0)"
# How often a job that may wait for a lock (``wait=``) asks again.
_POLL_SECONDS = 0.1


class LockBusy(ApplicationError):
    """Another job holds the lock."""

    default_code = ErrorCode.CONFLICT


class LockLost(RuntimeError):
    """The lease expired and another holder took it: stop without writing more."""


def holder_name() -> str:
    """Who holds a lock: host, process and a per-job suffix (two jobs in one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_dead(holder: str) -> bool:
    """True when ``holder`` (see ``holder_name``) was a process of this host that no longer exists.

    Only this host's processes can be checked; a holder elsewhere (or a name of another shape) is
    taken to be alive, and its lease ends when it expires.
    """
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return False


def sync_lock_name(source: str) -> str:
    return f"sync:{source}"


def metadata_lock_name(source: str) -> str:
    return f"metadata:{source}"


def reconciliation_lock_name(left: str, right: str) -> str:
    return f"reconciliation:{left}-{right}"


RETENTION_LOCK = "retention:operations"


@dataclass
class JobLock:
    """A held lock: its name, its holder, and ``renew()`` for long jobs."""

    name: str
    holder: str
    ttl: timedelta
    advisory: bool

    def renew(self) -> None:
        if self.advisory:
            return  # the server holds it for as long as the connection lives
        if not lease_renew(name=self.name, holder=self.holder, ttl=self.ttl):
            raise LockLost(f"lost the lock {self.name} to another holder; stopping without writing more")


@contextmanager
def job_lock(name: str, *, busy: Exception | None = None, ttl: timedelta = DEFAULT_LEASE_TTL,
             wait: timedelta = timedelta(0)) -> Iterator[JobLock]:
    """Hold lock ``name`` for the block, or raise ``busy`` (default ``LockBusy``) when another job holds it
    for longer than ``wait``."""
    lock = JobLock(name=name, holder=holder_name(), ttl=ttl, advisory=connection.vendor == "postgresql")
    deadline = time.monotonic() + wait.total_seconds()
    while not _try_acquire(lock):
        if time.monotonic() >= deadline:
            raise busy or LockBusy(f"{name} is held by another job")
        time.sleep(_POLL_SECONDS)
    try:
        yield lock
    finally:
        _release(lock)


def _try_acquire(lock: JobLock) -> bool:
    if lock.advisory:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_try_advisory_lock({_ADVISORY})", [lock.name])
            return cursor.fetchone()[0]
    if lease_acquire(name=lock.name, holder=lock.holder, ttl=lock.ttl):
        return True
    held_by = lease_holder(name=lock.name)
    if held_by and holder_dead(held_by):
        logger.warning("lock %s: its holder %s is dead; taking it over", lock.name, held_by)
        return lease_take_over(name=lock.name, holder=lock.holder, dead_holder=held_by, ttl=lock.ttl)
    return False


def _release(lock: JobLock) -> None:
    if not lock.advisory:
        lease_release(name=lock.name, holder=lock.holder)
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_unlock({_ADVISORY})", [lock.name])
    except DatabaseError:  # the connection is gone, and the server released the lock with it
        logger.warning("lock %s: connection lost; the server released the lock", lock.name)
