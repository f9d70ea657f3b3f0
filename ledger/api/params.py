"""Query parameters of /api/v1/ledger/…: one declaration for the server's parsing and the OpenAPI schema."""

import base64
import binascii
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.pagination import LimitParams, PageParams
from common.api.params import ChoiceParam, CurrencyParam, DateParam, GivenEmpty, TextParam, date_order
from common.exports import FORMATS
from ledger.choices import VoucherStatus

ACCOUNT_CODE_LENGTH = 32
# The statement's cursor: a format of its own (not the transactions' ``cursor``), so that a schema reader
# (and the schemathesis test) knows it is another opaque value.
STATEMENT_CURSOR_FORMAT = "ledger-statement-cursor"
_BAD_CURSOR = "is not a cursor this API issued"


def _in_order(attrs: dict) -> dict:
    date_order(attrs.get("from_date"), attrs.get("to_date"))
    return attrs


class VoucherListParams(PageParams):
    status = ChoiceParam(VoucherStatus.choices)
    journal = TextParam(max_length=16, help_text="a journal's code")
    from_date = DateParam(help_text="vouchers dated on or after this day")
    to_date = DateParam(help_text="vouchers dated on or before this day")

    def validate(self, attrs):
        return _in_order(attrs)


class AsOfParams(serializers.Serializer):
    as_of = DateParam(required=True, help_text="inclusive")


class BalanceParams(AsOfParams):
    account = TextParam(max_length=ACCOUNT_CODE_LENGTH, help_text="an account code (404 when there is none)")
    currency = CurrencyParam()


class StatementPeriodParams(serializers.Serializer):
    """An account's lines in one currency over a period (the statement and its report)."""

    account = TextParam(max_length=ACCOUNT_CODE_LENGTH, required=True,
                        help_text="an account code (404 when there is none)")
    currency = CurrencyParam(required=True)
    from_date = DateParam(required=True)
    to_date = DateParam(required=True)

    def validate(self, attrs):
        return _in_order(attrs)


@extend_schema_field({"type": "string", "format": STATEMENT_CURSOR_FORMAT, "minLength": 1,
                      "description": "meta.next_cursor of the previous page"})
class StatementCursorParam(GivenEmpty, serializers.Field):
    """``[date, line id, running balance, total, page]`` as ``statement_cursor`` wrote it."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        try:
            day, line_id, balance, total, page = json.loads(base64.urlsafe_b64decode(str(data).encode()))
            position = date.fromisoformat(day), _whole(line_id), Decimal(balance), _whole(total), _whole(page)
        except (ValueError, TypeError, UnicodeError, binascii.Error, InvalidOperation, RecursionError):
            raise serializers.ValidationError(_BAD_CURSOR) from None
        if not position[2].is_finite():
            raise serializers.ValidationError(_BAD_CURSOR)
        return position

    def to_representation(self, value):
        return statement_cursor(*value)


def statement_cursor(day: date, line_id: int, balance: Decimal, total: int, page: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([day.isoformat(), line_id, str(balance), total, page]).encode()).decode()


def _whole(value) -> int:
    """A non-negative whole number that fits a bigint (a JSON number or its digits)."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isascii() \
            or not str(value).isdigit() or int(value) >= 2**63:
        raise ValueError(value)
    return int(value)


class StatementParams(StatementPeriodParams, LimitParams):
    cursor = StatementCursorParam()


class ReportFormatParams(serializers.Serializer):
    format = ChoiceParam([*FORMATS, "pdf"], default="csv",
                         help_text="csv (default) or xlsx, written at once; pdf, written by a worker (202 with the "
                                   "file's URL)")


class TrialBalanceReportParams(ReportFormatParams, AsOfParams):
    pass


class StatementReportParams(ReportFormatParams, StatementPeriodParams):
    pass


class PeriodReportParams(ReportFormatParams):
    period = TextParam(max_length=7, required=True, help_text="a period's code, YYYY-MM (404 when there is none)")
