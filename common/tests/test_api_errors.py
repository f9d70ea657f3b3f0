import pytest
from django.core.cache import cache

from common.tests.urls import THROTTLE_CACHE_KEY

pytestmark = pytest.mark.django_db
on_test_views = pytest.mark.urls("common.tests.urls")


def _error(response):
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@on_test_views
def test_validation_error_names_the_first_field(api_client):
    response = api_client.get("/api/v1/invalid")
    assert response.status_code == 400
    assert _error(response) == {
        "code": "VALIDATION_ERROR",
        "message": "from_date: Enter a valid date.",
        "details": {"from_date": ["Enter a valid date."]},
    }


@on_test_views
def test_application_error_keeps_its_code_and_details(api_client):
    response = api_client.get("/api/v1/upstream")
    assert response.status_code == 502
    assert _error(response) == {
        "code": "UPSTREAM_ERROR",
        "message": "Vima answered 503.",
        "details": {"provider": "vima"},
    }


@on_test_views
def test_unhandled_error_is_500_and_leaks_nothing(api_client):
    response = api_client.get("/api/v1/crash")
    assert response.status_code == 500
    assert _error(response) == {"code": "INTERNAL_ERROR", "message": "Internal server error.", "details": {}}
    assert b"hunter2" not in response.content
    assert b"RuntimeError" not in response.content


@on_test_views
def test_anonymous_caller_is_not_authenticated(api_client):
    response = api_client.get("/api/v1/manager-only")
    assert response.status_code == 401
    assert _error(response)["code"] == "NOT_AUTHENTICATED"


@on_test_views
def test_viewer_is_denied_the_manager_view(api_client, viewer):
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/manager-only")
    assert response.status_code == 403
    assert _error(response) == {
        "code": "PERMISSION_DENIED",
        "message": "This needs the finance_manager role or higher.",
        "details": {},
    }


@on_test_views
@pytest.mark.parametrize("role", ["finance_manager", "finance_admin"])
def test_manager_and_admin_pass(api_client, request, role):
    user = request.getfixturevalue(role)
    api_client.force_authenticate(user)
    response = api_client.get("/api/v1/manager-only")
    assert response.status_code == 200
    assert response.json() == {"data": {"user": user.username}}


@pytest.fixture
def fresh_throttle():
    cache.delete(THROTTLE_CACHE_KEY)
    yield
    cache.delete(THROTTLE_CACHE_KEY)


@on_test_views
def test_second_call_within_the_rate_is_throttled(api_client, fresh_throttle):
    assert api_client.get("/api/v1/throttled").status_code == 200
    response = api_client.get("/api/v1/throttled")
    assert response.status_code == 429
    error = _error(response)
    assert error["code"] == "RATE_LIMIT_EXCEEDED"
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert error["details"] == {"retry_after_seconds": wait}


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert _error(response) == {
        "code": "NOT_FOUND",
        "message": "No such endpoint: /api/v1/no-such-endpoint",
        "details": {},
    }


NOT_FOUND_PATHS = [
    "/api/v1/transactions/not-a-uuid",
    "/api/v1/reconciliation/results/abc",
    "/api/v1/reconciliation/runs/abc",
    "/api/v1/nothing",
    "/api/nothing",
]


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("path", NOT_FOUND_PATHS)
def test_every_404_under_the_api_is_the_envelope(api_client, settings, debug, path):
    # With DEBUG on Django renders its technical HTML page without calling handler404.
    settings.DEBUG = debug
    response = api_client.get(path)
    assert response.status_code == 404
    assert _error(response) == {"code": "NOT_FOUND", "message": f"No such endpoint: {path}", "details": {}}


def test_a_404_outside_the_api_stays_a_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
