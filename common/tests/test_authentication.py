"""Token authentication by one prepared statement gives what the ORM gives, and refuses what DRF refuses."""

import pytest
from django.forms.models import model_to_dict
from rest_framework.authtoken.models import Token

from common.api.authentication import token_with_limit_flag
from common.models import TokenProjectLimit

pytestmark = pytest.mark.django_db


def test_the_token_and_its_user_are_the_ones_the_orm_loads(viewer):
    token = Token.objects.create(user=viewer)
    found = token_with_limit_flag(token.key)
    expected = Token.objects.select_related("user").get(key=token.key)
    assert (found.key, found.user_id, found.created) == (expected.key, expected.user_id, expected.created)
    assert model_to_dict(found.user) == model_to_dict(expected.user)
    assert found.is_project_limited is False
    TokenProjectLimit.objects.create(token=token, project="91game")
    assert token_with_limit_flag(token.key).is_project_limited is True
    assert token_with_limit_flag("no-such-key") is None


def test_an_inactive_users_token_is_refused(api_client, viewer):
    token = Token.objects.create(user=viewer)
    viewer.is_active = False
    viewer.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/transactions")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "User inactive or deleted."
