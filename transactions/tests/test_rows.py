from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from conftest import build_row
from transactions.rows import HASHED_FIELDS, row_problems

IST = timezone(timedelta(hours=5, minutes=30))


def test_hash_is_canonical_for_amounts_and_time_zones():
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    common = {"source_id": "x-1", "updated_at": moment, "client_operation_id": "o", "user_email": "e"}
    plain = build_row(amount=Decimal("1500"), created_at=moment, **common)
    padded = build_row(amount=Decimal("1500.0"), created_at=moment, **common)
    in_ist = build_row(amount=Decimal("1500.0000"), created_at=moment.astimezone(IST), **common)
    assert plain.data_hash == padded.data_hash == in_ist.data_hash
    assert len(plain.data_hash) == 64


def test_hash_ignores_raw_payload_and_cursors_but_not_business_fields():
    moment = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    common = {"source_id": "x-2", "created_at": moment, "updated_at": moment, "client_operation_id": "o",
              "user_email": "e"}
    base = build_row(**common)
    assert build_row(**common, raw_data={"other": "json"}, source_update_cursor="99").data_hash == base.data_hash
    assert build_row(**{**common, "amount": Decimal("1500.01")}).data_hash != base.data_hash
    assert build_row(**{**common, "status": "failed"}).data_hash != base.data_hash
    assert "raw_data" not in HASHED_FIELDS and "source_update_cursor" not in HASHED_FIELDS


def test_valid_row_has_no_problems():
    assert row_problems(build_row()) == []


def test_problems_name_the_field_and_the_value():
    row = build_row(source_id="", amount=1500.5, created_at=datetime(2026, 1, 1), status="done", currency="inr")
    assert row_problems(row) == [
        "source_id is missing",
        "status 'done' is not one of success, failed, pending, processing, refunded",
        "currency 'inr' is not an ISO 4217 code",
        "amount must be a Decimal, got float 1500.5",
        "created_at 2026-01-01T00:00:00 is naive; times must carry a time zone",
    ]


def test_amount_beyond_the_stored_precision_is_a_problem():
    assert row_problems(build_row(amount=Decimal("1.00005"))) == ["amount 1.00005 has more than 4 decimal places"]
    assert row_problems(build_row(amount=Decimal("1.00000"))) == []
    assert row_problems(build_row(amount=Decimal("NaN"))) == ["amount NaN is not a finite number"]
