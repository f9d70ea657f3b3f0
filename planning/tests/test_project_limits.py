"""Tokens limited to projects on the planning and lending endpoints."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from common.models import TokenProjectLimit
from planning.models import Category, Plan

pytestmark = pytest.mark.django_db


def _limited(client, user, *projects):
    token = Token.objects.create(user=user)
    for project in projects:
        TokenProjectLimit.objects.create(token=token, project=project)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def plans():
    issuance = Category.objects.get(code="issuance")
    for project, amount in (("", "100.00"), ("91game", "20.00"), ("bingo", "30.00")):
        Plan.objects.create(month=date(2026, 1, 1), category=issuance, project=project, amount=Decimal(amount),
                            currency="UAH")


@pytest.mark.parametrize("path", ["/api/v1/planning/year-performance?year=2026",
                                  "/api/v1/planning/plans-performance?date=2026-01-15"])
def test_a_limited_token_sees_its_projects_plans_only(api_client, viewer, plans, path):
    client = _limited(api_client, viewer, "91game")
    own = client.get(path + "&project=91game")
    assert own.status_code == 200
    other = client.get(path + "&project=bingo")
    assert other.status_code == 403 and "bingo" in other.json()["error"]["message"]
    # Plans without a project are the whole lender's: a limited token must name one of its projects.
    whole = client.get(path)
    assert whole.status_code == 403 and whole.json()["error"]["code"] == "PERMISSION_DENIED"


def test_the_plan_for_the_named_project_is_answered(api_client, viewer, plans):
    client = _limited(api_client, viewer, "91game")
    months = client.get("/api/v1/planning/year-performance?year=2026&project=91game").json()["data"]["months"]
    assert months[0]["issuance"]["plan"] == 20.0


def test_a_limited_token_imports_plans_of_its_projects_only(api_client, finance_manager):
    client = _limited(api_client, finance_manager, "91game")
    text = ("month,category_name,sum,project\n2026-02-01,видача,1,91game\n2026-02-01,видача,1,bingo\n"
            "2026-03-01,видача,1,\n")
    response = client.post("/api/v1/planning/plans/import", {"file": SimpleUploadedFile("p.csv", text.encode())},
                           format="multipart")
    assert response.status_code == 400
    assert [(p["row"], p["column"]) for p in response.json()["error"]["details"]["problems"]] == [
        (3, "project"), (4, "project")]
    assert Plan.objects.count() == 0


def test_the_loan_book_is_not_for_a_limited_token(api_client, viewer):
    client = _limited(api_client, viewer, "91game")
    assert client.get("/api/v1/lending/borrowers/1/credits").status_code == 403
