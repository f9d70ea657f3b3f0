"""The OpenAPI schema, its interactive page (served without a CDN), and CORS for configured origins."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_with_no_warnings_and_names_every_endpoint(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for endpoint in ("/api/v1/health", "/api/v1/transactions", "/api/v1/transactions/{id}", "/api/v1/sync/status",
                     "/api/v1/sync/trigger"):
        assert f"  {endpoint}:" in schema


def test_the_docs_page_loads_swagger_from_this_server(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
    assert client.get("/api/schema/").status_code == 200


def test_cors_answers_preflight_for_a_configured_origin_only(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://dash.example.com"]
    allowed = client.options("/api/v1/transactions", HTTP_ORIGIN="https://dash.example.com",
                             HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert allowed["Access-Control-Allow-Origin"] == "https://dash.example.com"
    other = client.options("/api/v1/transactions", HTTP_ORIGIN="https://evil.example.com",
                           HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "Access-Control-Allow-Origin" not in other
