"""The raw record's JSON text: the fast encoder writes exactly what Django's encoder would."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from transactions.writers.columns import dump_raw


def _django(raw):
    return json.dumps(raw, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize("raw", [
    {"operation_id": "1067250934146775040", "complete_amount": Decimal("1234.56000000"), "c_id": 7},
    {"payer": {"person": {"first_name": "Олена", "last_name": "Шевченко"}}, "card_finish": [{"fee": Decimal("-0.5")}]},
    {"empty": {}, "none": None, "flag": True, "list": [1, "2", Decimal("3.0")]},
    {"past_64_bits": 2**70},  # orjson refuses: written by json instead
    {"at": datetime(2026, 1, 10, 12, 30, 0, 123456, tzinfo=UTC)},  # orjson would spell it otherwise
])
def test_the_raw_record_is_written_as_djangos_encoder_writes_it(raw):
    assert dump_raw(raw) == _django(raw)
