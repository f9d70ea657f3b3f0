"""Health of the services the product depends on: database, cache, broker, worker and beat.

Each check answers {"status": "ok"|"down", ...} and never raises: a health page that fails is
worse than one that says what is down.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.utils import timezone

BROKER_TIMEOUT_SECONDS = 1.0


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        extra = check() or {}
        result = {"status": "ok", **extra}
    except Exception as exc:  # noqa: BLE001 — any failure means "down", with its reason
        result = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"engine": connection.vendor}

    return _timed(probe)


def check_cache() -> dict:
    def probe():
        client = getattr(cache, "client", None)
        if client is not None and hasattr(client, "get_client"):
            # django-redis swallows errors on get/set (IGNORE_EXCEPTIONS); ask Redis directly.
            client.get_client(write=True).ping()
            return {"backend": "redis"}
        cache.set("health:probe", "1", 10)
        if cache.get("health:probe") != "1":
            raise RuntimeError("cache did not return what was stored")
        return {"backend": type(caches["default"]).__name__}

    return _timed(probe)


def check_broker() -> dict:
    def probe():
        from config.celery import app

        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
            return {"transport": str(conn.transport.driver_type)}

    return _timed(probe)


def check_heartbeat(name: str) -> dict:
    """A process is up when its last heartbeat is newer than HEARTBEAT_STALE_AFTER seconds."""

    def probe():
        from common.models import Heartbeat

        beat = Heartbeat.objects.filter(name=name).first()
        if beat is None:
            raise RuntimeError("never seen")
        age = timezone.now() - beat.last_seen_at
        if age > timedelta(seconds=settings.HEARTBEAT_STALE_AFTER):
            raise RuntimeError(f"last seen {int(age.total_seconds())}s ago")
        return {"last_seen_at": beat.last_seen_at, "detail": beat.detail}

    return _timed(probe)


def health_report() -> dict:
    """Every service's state, and the overall status: down without a database, degraded without others."""
    services = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    if services["database"]["status"] == "ok":
        services["worker"] = check_heartbeat("worker")
        services["beat"] = check_heartbeat("beat")
    if services["database"]["status"] != "ok":
        status = "down"
    elif all(s["status"] == "ok" for s in services.values()):
        status = "ok"
    else:
        status = "degraded"
    from config import __version__

    return {"status": status, "version": __version__, "services": services}
