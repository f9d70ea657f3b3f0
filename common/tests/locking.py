"""Test helper: a lock held by another worker, the way that worker would hold it."""

from contextlib import contextmanager
from datetime import timedelta

from django.db import connection

from common.services import lease_acquire


@contextmanager
def held_elsewhere(name: str):
    """On PostgreSQL a session advisory lock on a connection of its own (dropped at the end, as a killed
    worker's would be); on SQLite the lease row, held by another holder."""
    if connection.vendor != "postgresql":
        assert lease_acquire(name=name, holder="another-worker", ttl=timedelta(minutes=5))
        yield
        return
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], host=db["HOST"] or None, port=db["PORT"] or None,
                         user=db["USER"] or None, password=db["PASSWORD"] or None, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [name])
        yield
