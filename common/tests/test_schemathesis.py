"""Property-based requests generated from the OpenAPI schema (schemathesis): no input answers 500,
and every answer matches the schema it documents.

Runs in-process against the WSGI application on the test database, as a finance_admin token. The
two endpoints that start background work (sync trigger, and reconciliation runs when they exist)
are left out: their inputs are two small choice fields tested directly, and fuzzing them would
queue hundreds of real jobs.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from conftest import build_row
from transactions.services import transactions_upsert

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(method="POST")


@pytest.fixture
def admin_token(db, finance_admin):
    transactions_upsert(rows=[build_row(), build_row(source="payshack", project="91game", currency="INR")])
    return Token.objects.create(user=finance_admin).key


@pytest.fixture
def connections_kept():
    """The WSGI handler closes the database connection around each request (``close_old_connections``),
    which inside the test's transaction would close the test's own connection; Django's test client
    disconnects it in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_request_answers_a_server_error(case, admin_token, connections_kept):
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"},
                           checks=[not_a_server_error, response_schema_conformance, status_code_conformance])
