"""/api/v1/ledger/…: accounts, vouchers and their workflow, periods, rules, balances, reports, bulk (SPEC 11).

Reads need the viewer role; writes call the services, which check the finance roles and segregation of
duties themselves and refuse with the rule's name (``ledger.errors``). The ledger spans every project, so a
token limited to projects sees none of it.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.pagination import PageParams, envelope
from common.api.params import parsed
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import answers, data_envelope, page_envelope
from common.api.scope import NotProjectLimited
from ledger import selectors
from ledger.api import serializers as out
from ledger.api.params import AsOfParams, BalanceParams, StatementParams, VoucherListParams, statement_cursor
from ledger.choices import PeriodAction
from ledger.errors import LedgerError, refusals_documented
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
NO_ACCOUNT = "No account with that code."
WRITE = [IsFinanceManager, NotProjectLimited]


def page_of(request, queryset, serializer_class, asked: dict | None = None) -> Response:
    """One page of ``queryset`` (``page`` and ``limit`` of ``asked``, else of the query) in the envelope."""
    asked = asked if asked is not None else parsed(PageParams, request.query_params)
    limit, page = asked["limit"], asked["page"]
    rows = list(queryset[(page - 1) * limit:page * limit])
    return envelope(serializer_class(rows, many=True).data, page=page, limit=limit, total=queryset.count(),
                    next_cursor=None)


class AccountListView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_accounts", parameters=[PageParams],
                   responses=page_envelope("LedgerAccountPage", out.LedgerAccountSerializer(many=True)))
    def get(self, request):
        return page_of(request, Account.objects.select_related("parent").order_by("code"), out.LedgerAccountSerializer)


_VOUCHERS = Voucher.objects.select_related("journal", "period", "created_by", "reviewed_by", "posted_by")


class VoucherListView(APIView):
    """GET vouchers (filters status, journal, from_date, to_date); POST a draft (finance_manager)."""

    def get_permissions(self):
        return [permission() for permission in (WRITE if self.request.method == "POST" else READ)]

    @extend_schema(operation_id="ledger_vouchers", parameters=[VoucherListParams],
                   responses=page_envelope("LedgerVoucherPage", out.LedgerVoucherSerializer(many=True)))
    def get(self, request):
        asked = parsed(VoucherListParams, request.query_params)
        vouchers = _VOUCHERS.order_by("-date", "-id")
        narrow = {"status": asked.get("status"), "journal__code": asked.get("journal"),
                  "date__gte": asked.get("from_date"), "date__lte": asked.get("to_date")}
        return page_of(request, vouchers.filter(**{k: v for k, v in narrow.items() if v is not None}),
                       out.LedgerVoucherSerializer, asked)

    @extend_schema(operation_id="ledger_voucher_create", request=out.LedgerVoucherInputSerializer,
                   responses=answers({201: data_envelope("LedgerVoucherCreated", out.LedgerVoucherDetailSerializer())},
                                     **refusals_documented()))
    def post(self, request):
        asked = out.LedgerVoucherInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        values = asked.validated_data
        journal = Journal.objects.filter(code=values["journal"]).first()
        if journal is None:
            raise LedgerError("UNKNOWN_JOURNAL", f"no journal {values['journal']!r}", journal=values["journal"])
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

    @extend_schema(request=out.LedgerReverseInputSerializer, responses=answers(
        {200: data_envelope("LedgerVoucherAfterAction", out.LedgerVoucherDetailSerializer()),
         201: data_envelope("LedgerVoucherReversal", out.LedgerVoucherDetailSerializer())}, **refusals_documented()))
    def post(self, request, pk):
        voucher = _VOUCHER_ACTIONS[self.action_name](pk, request.user, request.data)
        detailed = _VOUCHERS.prefetch_related("lines__account").get(pk=voucher.pk)
        return Response({"data": out.LedgerVoucherDetailSerializer(detailed).data},
                        status=201 if self.action_name == "reverse" else 200)


class BulkView(APIView):
    """POST {action, ids, mode}: post, review, reverse, cancel vouchers or close periods by id."""

    permission_classes = [IsViewer, NotProjectLimited]

    @extend_schema(operation_id="ledger_bulk", request=out.LedgerBulkInputSerializer,
                   responses=answers({200: data_envelope("LedgerBulkResultEnvelope", out.LedgerBulkResultSerializer())},
                                     **refusals_documented()))
    def post(self, request):
        asked = out.LedgerBulkInputSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        return Response({"data": bulk_apply(user=request.user, **asked.validated_data)})


class PeriodListView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_periods", parameters=[PageParams],
                   responses=page_envelope("LedgerPeriodPage", out.LedgerPeriodSerializer(many=True)))
    def get(self, request):
        return page_of(request, Period.objects.order_by("-start"), out.LedgerPeriodSerializer)


class PeriodActionView(APIView):
    """POST …/periods/{id}/close|lock|reopen (a reopen needs ``reason``)."""

    permission_classes = [IsViewer, NotProjectLimited]
    action_name = PeriodAction.CLOSE

    @extend_schema(request=out.LedgerReasonSerializer,
                   responses=answers({200: data_envelope("LedgerPeriodEnvelope", out.LedgerPeriodSerializer())},
                                     **refusals_documented()))
    def post(self, request, pk):
        asked = out.LedgerReasonSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        period = period_move(period_id=pk, action=self.action_name, user=request.user, **asked.validated_data)
        return Response({"data": out.LedgerPeriodSerializer(period).data})


class RuleListView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_rules", parameters=[PageParams],
                   responses=page_envelope("LedgerRulePage", out.LedgerRuleSerializer(many=True)))
    def get(self, request):
        rules = list(PostingRule.objects.select_related("debit_account", "credit_account").order_by("event", "id"))
        ties = {}
        for a, b in rule_conflicts(rules):
            ties.setdefault(a.pk, []).append(b.pk)
            ties.setdefault(b.pk, []).append(a.pk)
        asked = parsed(PageParams, request.query_params)
        limit, page = asked["limit"], asked["page"]
        rows = rules[(page - 1) * limit:page * limit]
        for rule in rows:
            rule.ties_with = ties.get(rule.pk, [])
        return envelope(out.LedgerRuleSerializer(rows, many=True).data, page=page, limit=limit, total=len(rules),
                        next_cursor=None)


def _balance_rows(rows) -> list[dict]:
    return [{"account": row.account.code, "name": row.account.name, "type": row.account.type,
             "currency": row.currency, "debit": row.debit, "credit": row.credit, "balance": row.balance}
            for row in rows]


class BalanceListView(APIView):
    """GET balances as of a date: every account with postings, per currency (``account`` narrows to one)."""

    permission_classes = READ

    @extend_schema(operation_id="ledger_balances", parameters=[BalanceParams],
                   responses=answers({200: data_envelope("LedgerBalances", out.LedgerBalanceSerializer(many=True))},
                                     not_found=NO_ACCOUNT))
    def get(self, request):
        asked = parsed(BalanceParams, request.query_params)
        as_of, currency, code = asked["as_of"], asked.get("currency"), asked.get("account")
        account = get_object_or_404(Account, code=code) if code else None
        sums = selectors.balances_as_of(as_of=as_of, account_id=account.pk if account else None, currency=currency)
        accounts = Account.objects.in_bulk({account_id for account_id, _ in sums})
        rows = sorted((selectors.TrialBalanceRow(accounts[a], c, d, cr) for (a, c), (d, cr) in sums.items()),
                      key=lambda row: (row.account.code, row.currency))
        return Response({"data": out.LedgerBalanceSerializer(_balance_rows(rows), many=True).data})


class TrialBalanceView(APIView):
    permission_classes = READ

    @extend_schema(operation_id="ledger_trial_balance", parameters=[AsOfParams],
                   responses=data_envelope("LedgerTrialBalanceEnvelope", out.LedgerTrialBalanceSerializer()))
    def get(self, request):
        as_of = parsed(AsOfParams, request.query_params)["as_of"]
        rows, totals = selectors.trial_balance(as_of=as_of)
        answer = {"as_of": as_of, "rows": _balance_rows(rows), "totals": totals}
        return Response({"data": out.LedgerTrialBalanceSerializer(answer).data})


class StatementView(APIView):
    """GET an account's posted lines in one currency with the running balance; ``cursor`` continues a page."""

    permission_classes = READ

    @extend_schema(operation_id="ledger_statement", parameters=[StatementParams],
                   responses=answers({200: page_envelope("LedgerStatementPage",
                                                         out.LedgerStatementRowSerializer(many=True))},
                                     not_found=NO_ACCOUNT))
    def get(self, request):
        asked = parsed(StatementParams, request.query_params)
        account = get_object_or_404(Account, code=asked["account"])
        currency, first, last, limit = asked["currency"], asked["from_date"], asked["to_date"], asked["limit"]
        after = asked.get("cursor")
        rows, position = selectors.statement_page(account=account, currency=currency, date_from=first, date_to=last,
                                                  limit=limit, after=after[:3] if after else None)
        # The total is counted once, on the first page, and carried in the cursor with the page number.
        total = after[3] if after else selectors.statement_count(account=account, currency=currency,
                                                                 date_from=first, date_to=last)
        page = after[4] + 1 if after else 1
        cursor = statement_cursor(*position, total, page) if position else None
        return envelope(out.LedgerStatementRowSerializer(rows, many=True).data, page=page, limit=limit, total=total,
                        next_cursor=cursor)
