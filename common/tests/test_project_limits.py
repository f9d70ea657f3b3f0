"""A token limited to a project never sees another project's rows, totals or exports."""

import csv
import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from common.models import TokenProjectLimit
from conftest import build_row
from transactions.models import Transaction
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 4, 2, 10, tzinfo=UTC)
PERIOD = {"from_date": "2026-04-02", "to_date": "2026-04-02"}


@pytest.fixture
def partner(api_client, viewer):
    """A viewer's token limited to 91game, on data of two projects."""
    transactions_upsert(rows=[
        build_row(project="91game", amount=Decimal("100.00"), created_at=DAY, updated_at=DAY),
        build_row(project="91game", amount=Decimal("50.00"), created_at=DAY, updated_at=DAY),
        build_row(project="monetix", amount=Decimal("7.00"), created_at=DAY, updated_at=DAY),
    ])
    token = Token.objects.create(user=viewer)
    TokenProjectLimit.objects.create(token=token, project="91game")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def body(response):
    return json.loads(response.content, parse_float=Decimal)


def test_transactions_rows_and_totals_are_only_its_project(partner):
    listed = body(partner.get("/api/v1/transactions"))
    assert {row["project"] for row in listed["data"]} == {"91game"} and listed["meta"]["total"] == 2
    other = Transaction.objects.get(project="monetix")
    assert partner.get(f"/api/v1/transactions/{other.pk}").status_code == 404


def test_asking_for_another_project_is_refused_by_name(partner):
    for path, params in (("/api/v1/transactions", {}), ("/api/v1/metrics/overview", {}),
                         ("/api/v1/export/transactions", {"format": "csv"})):
        response = partner.get(path, {"project": "monetix", **params})
        assert response.status_code == 403, path
        assert body(response)["error"]["code"] == "PERMISSION_DENIED"
        assert "limited to the projects 91game" in body(response)["error"]["message"]


def test_metrics_count_only_its_project(partner):
    overview = body(partner.get("/api/v1/metrics/overview", PERIOD))["data"]
    assert overview["total"] == {"count": 2, "amount": Decimal("150"), "currency": "INR",
                                 "by_currency": {"INR": Decimal("150")}}
    projects = body(partner.get("/api/v1/metrics/by-project", PERIOD))["data"]
    assert [p["project"] for p in projects] == ["91game"]
    points = body(partner.get("/api/v1/metrics/trends", PERIOD))["data"]["points"]
    assert sum(p["count"] for p in points) == 2


def test_exports_hold_only_its_project(partner):
    response = partner.get("/api/v1/export/transactions", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["project"] for row in rows] == ["91game", "91game"]


def test_endpoints_that_span_every_project_refuse_it(partner):
    assert partner.get("/api/v1/sync/status").status_code == 403


def test_an_unlimited_token_sees_everything(api_client, viewer):
    transactions_upsert(rows=[build_row(project="91game"), build_row(project="monetix")])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=viewer).key}")
    assert body(api_client.get("/api/v1/transactions"))["meta"]["total"] == 2


def test_an_unlimited_token_costs_no_query_for_its_limits(api_client, viewer, django_assert_num_queries):
    """The authentication query says whether a token has limits; only a limited one reads them."""
    token = Token.objects.create(user=viewer)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.get("/api/v1/metrics/overview", PERIOD)  # fills the cache
    # The token with its user and limit flag, the viewer's roles, the metrics namespace's version (a primary-key
    # read: versions live in the database); the answer itself is cached.
    with django_assert_num_queries(3):
        assert api_client.get("/api/v1/metrics/overview", PERIOD).status_code == 200
    TokenProjectLimit.objects.create(token=token, project="91game")
    api_client.get("/api/v1/metrics/overview", PERIOD)  # its scope changed, and so did the cache key
    with django_assert_num_queries(4):  # now its limits too
        assert api_client.get("/api/v1/metrics/overview", PERIOD).status_code == 200


def test_a_wrong_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api_client.get("/api/v1/metrics/overview", PERIOD)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid token."
