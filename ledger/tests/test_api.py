"""/api/v1/ledger/: the envelope on every answer, refusals carrying their rule, roles, reports."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from conftest import build_row
from ledger.models import Period, Voucher
from ledger.services.posting import ledger_post
from ledger.tests.conftest import DAY
from transactions.services import transactions_upsert

pytestmark = pytest.mark.django_db
URL = "/api/v1/ledger"


def _exact(answer) -> dict:
    """The body with money as Decimal: the API writes amounts as exact JSON numbers."""
    return json.loads(answer.content, parse_float=Decimal)


def _lines(debit="100.00", credit="100.00", **second):
    return [{"account": "1100", "debit": debit, "currency": "INR"},
            {"account": "2100", "credit": credit, "currency": "INR", **second}]


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def _create(client, lines) -> dict:
    return client.post(f"{URL}/vouchers", {"date": "2026-01-15", "lines": lines}, format="json")


def test_a_voucher_goes_from_draft_through_review_to_posted_by_three_people(chart, as_user, finance_manager,
                                                                            finance_admin, django_user_model):
    created = _create(as_user(finance_manager), _lines())
    assert created.status_code == 201, created.json()
    voucher = created.json()["data"]
    assert (voucher["status"], voucher["number"], len(voucher["lines"])) == ("draft", None, 2)
    refused = as_user(finance_manager).post(f"{URL}/vouchers/{voucher['id']}/review")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "PERMISSION_DENIED"
    assert refused.json()["error"]["details"]["rule"] == "SOD_SAME_USER"
    assert as_user(finance_admin).post(f"{URL}/vouchers/{voucher['id']}/review").status_code == 200
    # the reviewer (an admin here) may post: only the creator may not
    posted = as_user(finance_admin).post(f"{URL}/vouchers/{voucher['id']}/post")
    assert posted.status_code == 200 and posted.json()["data"]["number"] == "GEN-2026-000001"
    twice = as_user(finance_admin).post(f"{URL}/vouchers/{voucher['id']}/post")
    assert (twice.status_code, twice.json()["error"]["details"]["rule"]) == (400, "ALREADY_POSTED")


@pytest.mark.parametrize(("lines", "rule", "line"), [
    (_lines(credit="90.00"), "UNBALANCED", None),
    ([{"account": "1100", "debit": "5", "credit": "5", "currency": "INR"},
      {"account": "2100", "credit": "5", "currency": "INR"}], "LINE_BOTH_SIDES", 0),
    (_lines(credit="-100.00"), "NEGATIVE_AMOUNT", 1),
    (_lines(currency="ZZZ"), "UNKNOWN_CURRENCY", 1),
])
def test_bad_vouchers_are_400s_with_the_rule_and_the_line_and_write_nothing(chart, as_user, finance_manager, lines,
                                                                            rule, line):
    answer = _create(as_user(finance_manager), lines)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["details"]["rule"], error["details"].get("line")) == ("VALIDATION_ERROR", rule, line)
    assert error["message"].startswith(rule)
    assert not Voucher.objects.exists()


def test_a_viewer_reads_but_cannot_write(chart, as_user, viewer):
    assert as_user(viewer).get(f"{URL}/accounts").status_code == 200
    answer = _create(as_user(viewer), _lines())
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "PERMISSION_DENIED"


def test_closing_a_period_with_drafts_and_posting_into_a_locked_one_are_refused(chart, as_user, finance_manager,
                                                                                finance_admin):
    draft = _create(as_user(finance_manager), _lines()).json()["data"]
    period = Period.objects.get(code="2026-01")
    refused = as_user(finance_manager).post(f"{URL}/periods/{period.pk}/close")
    assert (refused.status_code, refused.json()["error"]["details"]["rule"]) == (400, "PERIOD_HAS_DRAFTS")
    as_user(finance_admin).post(f"{URL}/vouchers/{draft['id']}/review")
    as_user(finance_admin).post(f"{URL}/vouchers/{draft['id']}/post")
    assert as_user(finance_manager).post(f"{URL}/periods/{period.pk}/close").json()["data"]["status"] == "closed"
    second = _create(as_user(finance_manager), _lines()).json()["data"]
    as_user(finance_admin).post(f"{URL}/vouchers/{second['id']}/review")
    assert as_user(finance_admin).post(f"{URL}/periods/{period.pk}/lock").json()["data"]["status"] == "locked"
    locked = as_user(finance_admin).post(f"{URL}/vouchers/{second['id']}/post")
    assert (locked.status_code, locked.json()["error"]["details"]["rule"]) == (409, "PERIOD_LOCKED")
    no_reason = as_user(finance_admin).post(f"{URL}/periods/{period.pk}/reopen", {}, format="json")
    assert no_reason.json()["error"]["details"]["rule"] == "REASON_REQUIRED"
    reopened = as_user(finance_admin).post(f"{URL}/periods/{period.pk}/reopen", {"reason": "audit fix"}, format="json")
    assert reopened.json()["data"]["status"] == "open"


def test_bulk_continue_and_unknown_ids(chart, as_user, finance_manager, finance_admin):
    ids = [_create(as_user(finance_manager), _lines()).json()["data"]["id"] for _ in range(2)]
    answer = as_user(finance_admin).post(f"{URL}/bulk", {"action": "review", "ids": [*ids, 424242],
                                                         "mode": "continue"}, format="json")
    data = answer.json()["data"]
    assert (data["total"], data["succeeded"], data["failed"]) == (3, 2, 1)
    assert data["results"][2] == {"id": 424242, "ok": False,
                                  "error": {"rule": "UNKNOWN_ID", "message": "UNKNOWN_ID: no voucher with id 424242"}}
    bad = as_user(finance_admin).post(f"{URL}/bulk", {"action": "explode", "ids": ids}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_ERROR"


def test_trial_balance_balances_and_statement_pages_carry_the_running_balance(chart, as_user, viewer):
    noon = datetime(2026, 1, 15, 12, tzinfo=UTC)
    transactions_upsert(rows=[build_row(source="vima", source_id=f"t{n}", amount=Decimal(100 + n), fee=None,
                                        created_at=noon.replace(day=10 + n), updated_at=noon) for n in range(5)])
    ledger_post(date_from=DAY.replace(day=1), date_to=DAY.replace(day=28))
    client = as_user(viewer)
    trial = _exact(client.get(f"{URL}/trial-balance", {"as_of": "2026-01-31"}))["data"]
    assert trial["totals"] == {"INR": Decimal("0.0000")}
    clearing = next(row for row in trial["rows"] if row["account"] == "1202")
    assert clearing["balance"] == Decimal("510.0000")
    mid = _exact(client.get(f"{URL}/balances", {"as_of": "2026-01-12", "account": "1202"}))["data"]
    assert [row["balance"] for row in mid] == [Decimal("303.0000")]
    params = {"account": "1202", "currency": "INR", "from_date": "2026-01-11", "to_date": "2026-01-31", "limit": 2}
    first = _exact(client.get(f"{URL}/statement", params))
    assert [row["balance"] for row in first["data"]] == [Decimal("201.0000"), Decimal("303.0000")]
    assert (first["meta"]["total"], first["meta"]["page"]) == (4, 1)
    second = _exact(client.get(f"{URL}/statement", {**params, "cursor": first["meta"]["next_cursor"]}))
    assert [row["balance"] for row in second["data"]] == [Decimal("406.0000"), Decimal("510.0000")]
    assert (second["meta"]["page"], second["meta"]["next_cursor"]) == (2, None)
    broken = client.get(f"{URL}/statement", {**params, "cursor": "nonsense"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "VALIDATION_ERROR"
    missing = client.get(f"{URL}/trial-balance")
    assert missing.status_code == 400


def test_rules_show_their_ties(chart, as_user, viewer):
    from ledger.models import Account, PostingRule

    bank, funds = Account.objects.get(purpose="bank"), Account.objects.get(purpose="customer_funds")
    accounts = {"debit_account": bank, "credit_account": funds, "priority": 7}
    a = PostingRule.objects.create(name="a", event="refund", project="x", **accounts)
    b = PostingRule.objects.create(name="b", event="refund", currency="INR", **accounts)
    rows = {row["id"]: row for row in as_user(viewer).get(f"{URL}/rules", {"limit": 100}).json()["data"]}
    assert (rows[a.pk]["ties_with"], rows[b.pk]["ties_with"]) == ([b.pk], [a.pk])
