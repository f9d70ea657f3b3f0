"""Requests generated from the OpenAPI schema (schemathesis), valid and invalid: the schema and the server agree.

Every check runs: no answer is a 500, every status and body is the one the schema documents, data the
schema calls valid is accepted (ST202) and data it calls invalid is refused (ST201), and more. It runs
in-process against the WSGI application on the test database, once with a finance_admin token and once
with a token limited to one project (whose refusals are the documented 403s), every operation with a
bounded number of examples so that the suite stays quick.

What a schema cannot say, the test says here, each with its reason:
- a cursor is opaque (``format: cursor``, and the ledger statement's own format): the generator makes ones
  this API issues (``_cursors``, ``statement_cursor``);
- rules between parameters or over stored data (a period that ends before it starts or is longer than
  allowed, too many trend points or 5-minute points over too many days, a day without an FX rate, a time
  zone whose midnight was off the quarter hours in that period, a forecast further ahead than the model
  reaches, the rows of an uploaded plan file) are documented 400s: a 400 naming such a rule is accepted
  for valid data
  (``positive_data_acceptance_but_documented_rules``), any other 400 is not.
"""

import json
import re
import uuid
from datetime import UTC, date, datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from common.api.pagination import encode_cursor
from common.api.params import time_zone_names
from common.errors import ErrorCode
from common.models import TokenProjectLimit
from conftest import build_row
from ledger.api.params import STATEMENT_CURSOR_FORMAT, statement_cursor
from ledger.errors import RULES as LEDGER_RULES
from transactions.api.params import ORDERS, SORTABLE
from transactions.services import transactions_upsert

# Examples per operation and generation phase: ~80 operations, valid and invalid data, two tokens.
MAX_EXAMPLES = 12
# The 400s of rules no JSON schema can state (see the module's docstring), by the words of their message.
DOCUMENTED_RULES = re.compile(r"expected a date on or before (to_date|date_to|to) \("
                              r"|expected a (period|range) of at most"
                              r"|expected at most \d+ points|expected 5min over at most \d+ days"
                              r"|no [A-Z]{3}→[A-Z]{3} rate on or before"
                              r"|expected a time zone whose days start on a quarter hour"
                              r"|a forecast reaches at most \d+ days ahead")


def _cursor_value(sort_by: str):
    if sort_by in ("created_at", "updated_at"):
        return st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2199, 12, 30),
                            timezones=st.just(UTC)).map(lambda moment: moment.isoformat())
    if sort_by == "amount":
        return st.decimals(min_value=-10**12, max_value=10**12, places=4).map(str)
    return st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=["Cs"]),
                   max_size=20)


_cursors = st.sampled_from(SORTABLE).flatmap(lambda sort_by: st.tuples(
    st.just(sort_by), st.sampled_from(ORDERS), _cursor_value(sort_by), st.uuids().map(str),
)).map(lambda values: encode_cursor(list(values)))
schemathesis.openapi.format("cursor", _cursors)
# The ledger statement's cursor: [date, line id, running balance, total, page].
schemathesis.openapi.format(STATEMENT_CURSOR_FORMAT, st.tuples(
    st.dates(min_value=date(1970, 1, 1), max_value=date(2199, 12, 31)), st.integers(1, 2**62),
    st.decimals(min_value=-10**12, max_value=10**12, places=2), st.integers(0, 10**6), st.integers(1, 10**4),
).map(lambda values: statement_cursor(*values)))

# Every operation of the schema, /api/v1/ and /api/compat/v1/ alike.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.generation.update(modes=list(GenerationMode), max_examples=MAX_EXAMPLES)
# The coverage phase sends every value of an enum; of the ~600 time zones a sample is enough (each 40th,
# and zones the code treats specially): the bound on examples per operation.
TIME_ZONES_TRIED = {*time_zone_names()[::40], "UTC", "Asia/Kolkata", "Pacific/Kiritimati", "Africa/Monrovia",
                    "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"}


@schemathesis.check
def positive_data_acceptance_but_documented_rules(ctx, response, case):
    """ST202, except for a 400 that names one of ``DOCUMENTED_RULES`` (and nothing else)."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and _names_only_documented_rules(response):
            return None
        raise


def _names_only_documented_rules(response) -> bool:
    details = json.loads(response.content)["error"]["details"]
    if isinstance(details, dict) and list(details) == ["problems"]:
        return True  # a plan file's content (its rows and columns): what the import documents, no schema can state
    if isinstance(details, dict) and LEDGER_RULES.get(details.get("rule")) == ErrorCode.VALIDATION_ERROR:
        return True  # a ledger rule over the books (an unknown account, an unbalanced voucher…): documented 400s
    messages = [message for field in details.values() for message in field] if isinstance(details, dict) else []
    return bool(messages) and all(DOCUMENTED_RULES.search(str(message)) for message in messages)


@pytest.fixture
def data(db, monkeypatch):
    transactions_upsert(rows=[build_row(), build_row(source="payshack", project="91game", currency="INR")])
    from integrations.tasks import sync_provider

    # The broker is not what this test is about (and a generated trigger would queue real syncs): what
    # would have been queued is dropped. Reconciliation runs are queued on commit, which a test never reaches.
    monkeypatch.setattr(sync_provider, "delay", lambda *args, **kwargs: type("Queued", (), {"id": str(uuid.uuid4())}))


@pytest.fixture
def admin_token(data, finance_admin):
    return Token.objects.create(user=finance_admin).key


@pytest.fixture
def limited_token(data, finance_admin):
    token = Token.objects.create(user=finance_admin)
    TokenProjectLimit.objects.create(token=token, project="91game")
    return token.key


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


def _call(case, token: str):
    if _an_untried_time_zone(case):
        return
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           additional_checks=[positive_data_acceptance_but_documented_rules],
                           excluded_checks=[positive_data_acceptance])


def _an_untried_time_zone(case) -> bool:
    """A coverage case that only tries one more time zone outside ``TIME_ZONES_TRIED``."""
    data = case.meta.phase.data if case.meta else None
    return (isinstance(data, CoveragePhaseData) and data.scenario == CoverageScenario.ENUM_VALUE
            and data.parameter == "timezone" and (case.query or {}).get("timezone") not in TIME_ZONES_TRIED)


SETTINGS = settings(deadline=None, derandomize=True, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_the_schema_and_the_server_agree(case, admin_token, connections_kept):
    _call(case, admin_token)


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_the_schema_and_the_server_agree_for_a_project_limited_token(case, limited_token, connections_kept):
    _call(case, limited_token)
