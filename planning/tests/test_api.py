"""The plan-against-actual API: the envelope, exact numbers as JSON, 400s naming the parameter."""

import json
from decimal import Decimal

import pytest

from planning.tests.test_selectors import book  # noqa: F401 — the hand-worked book

pytestmark = pytest.mark.django_db


def _data(response):
    """The envelope's data with numbers as written (exact), not as floats."""
    return json.loads(response.content, parse_float=Decimal)["data"]


def test_year_performance_in_the_envelope(api_client, viewer, book):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/planning/year-performance", {"year": "2026"})
    assert response.status_code == 200
    march = _data(response)["months"][2]
    assert march["month"] == "2026-03-01"
    assert march["issuance"]["unplanned"] is True and march["issuance"]["performance"] is None
    assert march["issuance"]["sum"] == Decimal("1000.00")


def test_plans_performance_as_of_a_date(api_client, viewer, book):  # noqa: F811
    api_client.force_authenticate(viewer)
    response = api_client.get("/api/v1/planning/plans-performance", {"date": "2026-03-15"})
    assert response.status_code == 200
    january = [row for row in _data(response) if row["category"] == "issuance"][0]
    assert (january["month"], january["sum"], january["performance"]) == ("2026-01-01", Decimal("1500.00"),
                                                                     Decimal("150.00"))


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/planning/year-performance", {"year": "20x6"}, "year"),
    ("/api/v1/planning/plans-performance", {"date": "15.03.2026"}, "date"),
])
def test_a_bad_parameter_is_a_400_naming_it(api_client, viewer, path, params, field):
    api_client.force_authenticate(viewer)
    response = api_client.get(path, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get("/api/v1/planning/year-performance").status_code == 401
