from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from common.models import Heartbeat
from common.services import heartbeat_record
from config import __version__
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

SERVICES = {"database", "cache", "broker", "worker", "beat"}
# Port 1 on loopback: nothing listens there, so connections are refused at once.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
        "KEY_PREFIX": "hub",
    }
}
DEAD_BROKER = "amqp://guest:guest@127.0.0.1:1//"


@pytest.fixture
def beating():
    heartbeat_record(name="worker", detail="worker-host")
    heartbeat_record(name="beat", detail="django-celery-beat")


@pytest.fixture
def dead_broker(monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its conf, so both must point at the dead port.
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_BROKER)
    original = celery_app.conf["broker_url"]
    celery_app.conf["broker_url"] = DEAD_BROKER
    try:
        yield
    finally:
        celery_app.conf["broker_url"] = original


def _health(api_client):
    response = api_client.get("/api/v1/health")
    body = response.json()
    return response.status_code, body["data"], {name: s["status"] for name, s in body["data"]["services"].items()}


def test_shape_and_degraded_without_heartbeats(api_client):
    code, data, states = _health(api_client)
    assert code == 200
    assert set(data) == {"status", "version", "services"}
    assert set(data["services"]) == SERVICES
    assert (data["status"], data["version"]) == ("degraded", __version__)
    assert states == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "down", "beat": "down"}
    assert data["services"]["worker"]["error"] == "RuntimeError: never seen"


def test_ok_when_every_service_answers(api_client, beating):
    code, data, states = _health(api_client)
    assert (code, data["status"]) == (200, "ok")
    assert states == dict.fromkeys(SERVICES, "ok")
    assert data["services"]["worker"]["detail"] == "worker-host"
    assert data["services"]["beat"]["detail"] == "django-celery-beat"


def test_stale_heartbeats_count_as_down(api_client, beating):
    Heartbeat.objects.update(last_seen_at=timezone.now() - timedelta(seconds=settings.HEARTBEAT_STALE_AFTER + 60))
    code, data, states = _health(api_client)
    assert (code, data["status"]) == (200, "degraded")
    assert (states["worker"], states["beat"]) == ("down", "down")
    assert data["services"]["worker"]["error"].startswith("RuntimeError: last seen ")


def test_cache_down_still_answers(api_client, beating):
    with override_settings(CACHES=DEAD_REDIS):
        code, data, states = _health(api_client)
    assert (code, data["status"]) == (200, "degraded")
    assert states == {"database": "ok", "cache": "down", "broker": "ok", "worker": "ok", "beat": "ok"}
    assert data["services"]["cache"]["error"].startswith("ConnectionError")


def test_broker_down_still_answers(api_client, beating, dead_broker):
    code, data, states = _health(api_client)
    assert (code, data["status"]) == (200, "degraded")
    assert states == {"database": "ok", "cache": "ok", "broker": "down", "worker": "ok", "beat": "ok"}
    assert data["services"]["broker"]["error"].startswith("OperationalError")
