"""/api/v1/ledger/…: accounts, vouchers and their workflow, periods, rules, balances, reports, bulk (SPEC 11).

Reads need the viewer role; writes call the services, which check the finance roles and segregation of
duties themselves and refuse with the rule's name (``ledger.errors``). The ledger spans every project, so a
token limited to projects sees none of it.
"""

import base64
import binascii
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import encode_cursor, envelope, limit_param, page_param
from common.api.params import choice_param, currency_param, date_order, date_param, invalid, text_param
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import PAGE_PARAMETERS, data_envelope, page_envelope
from common.api.scope import NotProjectLimited
from ledger import selectors
from ledger.api import serializers as out
from ledger.choices import PeriodAction, VoucherStatus
from ledger.models import Account, Journal, Period, PostingRule, Voucher
from ledger.services.bulk import bulk_apply
from ledger.services.periods import period_move
from ledger.services.rules import rule_conflicts
from ledger.services.vouchers import (
    lines_parse,
    voucher_cancel,
    voucher_create,
    voucher_post,
    voucher_reverse,
    voucher_review,
)

READ = [IsViewer, NotProjectLimited]
WRITE = [IsFinanceManager, NotProjectLimited]


def page_of(request, queryset, serializer_class) -> Response:
    limit, page = limit_param(request.query_params), page_param(request.query_params)
    rows = list(queryset[(page - 1) * limit:page * limit])
    return envelope(serializer_class(rows, many=True).data, page=page, limit=limit, total=queryset.count(),
                    next_cursor=None)


class AccountListView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_accounts", parameters=PAGE_PARAMETERS,
                   responses=page_envelope("LedgerAccountPage", out.LedgerAccountSerializer(many=True)))
    def get(self, request):
        return page_of(request, Account.objects.select_related("parent").order_by("code"), out.LedgerAccountSerializer)


_VOUCHERS = Voucher.objects.select_related("journal", "period", "created_by", "reviewed_by", "posted_by")


class VoucherListView(APIView):
    """GET vouchers (filters status, journal, from_date, to_date); POST a draft (finance_manager)."""

    def get_permissions(self):
        return [permission() for permission in (WRITE if self.request.method == "POST" else READ)]

    @extend_schema(operation_id="ledger_vouchers", parameters=[
        OpenApiParameter("status", str, enum=list(VoucherStatus.values)), OpenApiParameter("journal", str),
        OpenApiParameter("from_date", str, description="YYYY-MM-DD"), OpenApiParameter("to_date", str),
        *PAGE_PARAMETERS], responses=page_envelope("LedgerVoucherPage", out.LedgerVoucherSerializer(many=True)))
    def get(self, request):
        params = request.query_params
        first, last = date_param(params, "from_date"), date_param(params, "to_date")
        date_order(first, last)
        vouchers = _VOUCHERS.order_by("-date", "-id")
        narrow = {"status": choice_param(params, "status", VoucherStatus.values),
                  "journal__code": text_param(params, "journal", max_length=16), "date__gte": first, "date__lte": last}
        return page_of(request, vouchers.filter(**{k: v for k, v in narrow.items() if v is not None}),
                     out.LedgerVoucherSerializer)

    @extend_schema(operation_id="ledger_voucher_create", request=out.LedgerVoucherInputSerializer,
                   responses={201: data_envelope("LedgerVoucherCreated", out.LedgerVoucherDetailSerializer())})
    def post(self, request):
        asked = out.LedgerVoucherInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        values = asked.validated_data
        journal = Journal.objects.filter(code=values["journal"]).first()
        if journal is None:
            raise ValidationError({"journal": [f"no journal {values['journal']!r}"]})
        voucher = voucher_create(journal=journal, day=values["date"], lines=lines_parse(values["lines"]),
                                 user=request.user, description=values["description"])
        return Response({"data": out.LedgerVoucherDetailSerializer(_VOUCHERS.get(pk=voucher.pk)).data}, status=201)


class VoucherDetailView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_voucher",
                   responses=data_envelope("LedgerVoucherEnvelope", out.LedgerVoucherDetailSerializer()))
    def get(self, request, pk):
        voucher = get_object_or_404(_VOUCHERS.prefetch_related("lines__account"), pk=pk)
        return Response({"data": out.LedgerVoucherDetailSerializer(voucher).data})


_VOUCHER_ACTIONS = {
    "review": lambda pk, user, body: voucher_review(voucher_id=pk, user=user),
    "post": lambda pk, user, body: voucher_post(voucher_id=pk, user=user),
    "cancel": lambda pk, user, body: voucher_cancel(voucher_id=pk, user=user),
    "reverse": lambda pk, user, body: voucher_reverse(voucher_id=pk, user=user, day=_reverse_date(body)),
}


def _reverse_date(body) -> date | None:
    asked = out.LedgerReverseInputSerializer(data=body)
    asked.is_valid(raise_exception=True)
    return asked.validated_data["date"]


class VoucherActionView(APIView):
    """POST …/vouchers/{id}/review|post|cancel|reverse. The services check the role and segregation of duties."""

    permission_classes = [IsViewer, NotProjectLimited]
    action_name = ""

    @extend_schema(request=out.LedgerReverseInputSerializer,
                   responses=data_envelope("LedgerVoucherAfterAction", out.LedgerVoucherDetailSerializer()))
    def post(self, request, pk):
        voucher = _VOUCHER_ACTIONS[self.action_name](pk, request.user, request.data)
        detailed = _VOUCHERS.prefetch_related("lines__account").get(pk=voucher.pk)
        return Response({"data": out.LedgerVoucherDetailSerializer(detailed).data},
                        status=201 if self.action_name == "reverse" else 200)


class BulkView(APIView):
    """POST {action, ids, mode}: post, review, reverse, cancel vouchers or close periods by id."""

    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="ledger_bulk", request=out.LedgerBulkInputSerializer,
                   responses=data_envelope("LedgerBulkResultEnvelope", out.LedgerBulkResultSerializer()))
    def post(self, request):
        asked = out.LedgerBulkInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        return Response({"data": bulk_apply(user=request.user, **asked.validated_data)})


class PeriodListView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_periods", parameters=PAGE_PARAMETERS,
                   responses=page_envelope("LedgerPeriodPage", out.LedgerPeriodSerializer(many=True)))
    def get(self, request):
        return page_of(request, Period.objects.order_by("-start"), out.LedgerPeriodSerializer)


class PeriodActionView(APIView):
    """POST …/periods/{id}/close|lock|reopen (a reopen needs ``reason``)."""

    permission_classes = [IsViewer, NotProjectLimited]
    action_name = PeriodAction.CLOSE

    @extend_schema(request=out.LedgerReasonSerializer,
                   responses=data_envelope("LedgerPeriodEnvelope", out.LedgerPeriodSerializer()))
    def post(self, request, pk):
        asked = out.LedgerReasonSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        period = period_move(period_id=pk, action=self.action_name, user=request.user, **asked.validated_data)
        return Response({"data": out.LedgerPeriodSerializer(period).data})


class RuleListView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_rules", parameters=PAGE_PARAMETERS,
                   responses=page_envelope("LedgerRulePage", out.LedgerRuleSerializer(many=True)))
    def get(self, request):
        rules = list(PostingRule.objects.select_related("debit_account", "credit_account").order_by("event", "id"))
        ties = {}
        for a, b in rule_conflicts(rules):
            ties.setdefault(a.pk, []).append(b.pk)
            ties.setdefault(b.pk, []).append(a.pk)
        limit, page = limit_param(request.query_params), page_param(request.query_params)
        rows = rules[(page - 1) * limit:page * limit]
        for rule in rows:
            rule.ties_with = ties.get(rule.pk, [])
        return envelope(out.LedgerRuleSerializer(rows, many=True).data, page=page, limit=limit, total=len(rules),
                        next_cursor=None)


def _as_of(params) -> date:
    as_of = date_param(params, "as_of")
    if as_of is None:
        raise invalid("as_of", "a date as YYYY-MM-DD", params.get("as_of", ""))
    return as_of


def _balance_rows(rows) -> list[dict]:
    return [{"account": row.account.code, "name": row.account.name, "type": row.account.type,
             "currency": row.currency, "debit": row.debit, "credit": row.credit, "balance": row.balance}
            for row in rows]


class BalanceListView(APIView):
    """GET balances as of a date: every account with postings, per currency (``account`` narrows to one)."""

    permission_classes = READ

    @extend_schema(operation_id="ledger_balances", parameters=[
        OpenApiParameter("as_of", str, required=True, description="YYYY-MM-DD, inclusive"),
        OpenApiParameter("account", str, description="an account code"), OpenApiParameter("currency", str)],
        responses=data_envelope("LedgerBalances", out.LedgerBalanceSerializer(many=True)))
    def get(self, request):
        params = request.query_params
        as_of, currency = _as_of(params), currency_param(params)
        code = text_param(params, "account", max_length=32)
        account = get_object_or_404(Account, code=code) if code else None
        sums = selectors.balances_as_of(as_of=as_of, account_id=account.pk if account else None, currency=currency)
        accounts = Account.objects.in_bulk({account_id for account_id, _ in sums})
        rows = sorted((selectors.TrialBalanceRow(accounts[a], c, d, cr) for (a, c), (d, cr) in sums.items()),
                      key=lambda row: (row.account.code, row.currency))
        return Response({"data": out.LedgerBalanceSerializer(_balance_rows(rows), many=True).data})


class TrialBalanceView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_trial_balance",
                   parameters=[OpenApiParameter("as_of", str, required=True, description="YYYY-MM-DD, inclusive")],
                   responses=data_envelope("LedgerTrialBalanceEnvelope", out.LedgerTrialBalanceSerializer()))
    def get(self, request):
        as_of = _as_of(request.query_params)
        rows, totals = selectors.trial_balance(as_of=as_of)
        answer = {"as_of": as_of, "rows": _balance_rows(rows), "totals": totals}
        return Response({"data": out.LedgerTrialBalanceSerializer(answer).data})


class StatementView(APIView):
    """GET an account's posted lines in one currency with the running balance; ``cursor`` continues a page."""

    permission_classes = READ

    @extend_schema(operation_id="ledger_statement", parameters=[
        OpenApiParameter("account", str, required=True, description="an account code"),
        OpenApiParameter("currency", str, required=True),
        OpenApiParameter("from_date", str, required=True), OpenApiParameter("to_date", str, required=True),
        OpenApiParameter("cursor", str, description="next_cursor of the previous page"), PAGE_PARAMETERS[1]],
        responses=page_envelope("LedgerStatementPage", out.LedgerStatementRowSerializer(many=True)))
    def get(self, request):
        params = request.query_params
        code = text_param(params, "account", max_length=32)
        currency = currency_param(params)
        first, last = date_param(params, "from_date"), date_param(params, "to_date")
        for name, value in (("account", code), ("currency", currency), ("from_date", first), ("to_date", last)):
            if value is None:
                raise invalid(name, "a value", params.get(name, ""))
        date_order(first, last)
        account = get_object_or_404(Account, code=code)
        limit, after = limit_param(params), _position(params.get("cursor"))
        rows, position = selectors.statement_page(account=account, currency=currency, date_from=first, date_to=last,
                                                  limit=limit, after=after[:3] if after else None)
        # The total is counted once, on the first page, and carried in the cursor with the page number.
        total = after[3] if after else selectors.statement_count(account=account, currency=currency,
                                                                 date_from=first, date_to=last)
        page = after[4] + 1 if after else 1
        cursor = (encode_cursor([position[0].isoformat(), position[1], str(position[2]), total, page])
                  if position else None)
        return envelope(out.LedgerStatementRowSerializer(rows, many=True).data, page=page, limit=limit, total=total,
                        next_cursor=cursor)


def _position(cursor: str | None) -> tuple[date, int, Decimal, int, int] | None:
    """``[date, line id, running balance, total, page]`` as this view wrote it; anything else is a 400."""
    if not cursor:
        return None
    try:
        day, line_id, balance, total, page = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return date.fromisoformat(day), int(line_id), Decimal(balance), int(total), int(page)
    except (ValueError, TypeError, UnicodeError, binascii.Error, InvalidOperation, RecursionError):
        raise ValidationError({"cursor": ["is not a cursor this API issued"]}) from None
