"""The ledger as the API shows it, and the inputs of its writes."""

from rest_framework import serializers

from common.api.params import BodyText
from ledger.models import (
    Account,
    GLReconciliationResult,
    GLReconciliationRun,
    Period,
    PostingRule,
    Voucher,
    VoucherLine,
)
from ledger.services.bulk import ACTIONS, MODES
from transactions.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

# Enough for a month's vouchers of a finance team in one call, small enough to answer in seconds.
MAX_BULK_IDS = 500
MAX_LINES = 500


def _money(**kwargs):
    return serializers.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **kwargs)


class LedgerAccountSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = Account
        fields = ("id", "code", "name", "type", "currency", "parent", "is_control", "allows_direct_posting",
                  "is_active", "purpose", "source", "tolerance_amount", "tolerance_percent")


class LedgerLineSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.code")
    rule = serializers.IntegerField(source="rule_id", allow_null=True)

    class Meta:
        model = VoucherLine
        fields = ("id", "account", "debit", "credit", "currency", "project", "description", "rule", "rule_side",
                  "key_day", "key_source", "key_event")


class LedgerVoucherSerializer(serializers.ModelSerializer):
    journal = serializers.CharField(source="journal.code")
    period = serializers.CharField(source="period.code")
    created_by = serializers.CharField(source="created_by.username")
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True, default=None)
    posted_by = serializers.CharField(source="posted_by.username", allow_null=True, default=None)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)

    class Meta:
        model = Voucher
        fields = ("id", "number", "journal", "date", "period", "status", "kind", "description", "source_day",
                  "reverses", "created_by", "created_at", "reviewed_by", "reviewed_at", "posted_by", "posted_at")


class LedgerVoucherDetailSerializer(LedgerVoucherSerializer):
    lines = LedgerLineSerializer(many=True)

    class Meta(LedgerVoucherSerializer.Meta):
        fields = (*LedgerVoucherSerializer.Meta.fields, "lines")


class LedgerLineInputSerializer(serializers.Serializer):
    """A line as given: the account's code, a debit or a credit (strings or numbers), currency, project."""

    account = BodyText(max_length=32)
    debit = BodyText(max_length=40, required=False, allow_blank=True, default="")
    credit = BodyText(max_length=40, required=False, allow_blank=True, default="")
    currency = BodyText(max_length=3, required=False, allow_blank=True, default="")
    project = BodyText(max_length=64, required=False, allow_blank=True, default="")
    description = BodyText(max_length=255, required=False, allow_blank=True, default="")


class LedgerVoucherInputSerializer(serializers.Serializer):
    journal = BodyText(max_length=16, default="GEN")
    date = serializers.DateField()
    description = BodyText(max_length=255, required=False, allow_blank=True, default="")
    lines = LedgerLineInputSerializer(many=True, max_length=MAX_LINES)


class LedgerReverseInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None,
                                 help_text="the reversal's date (default: the reversed voucher's)")


class LedgerReasonSerializer(serializers.Serializer):
    reason = BodyText(max_length=2000, required=False, allow_blank=True, default="")


class LedgerBulkInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(ACTIONS))
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1,
                                max_length=MAX_BULK_IDS)
    mode = serializers.ChoiceField(choices=MODES, default="atomic")


class LedgerBulkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    error = serializers.DictField(required=False)


class LedgerBulkResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = LedgerBulkItemSerializer(many=True)
    duration_ms = serializers.FloatField()


class LedgerPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ("id", "code", "start", "end", "status")


class LedgerRuleSerializer(serializers.ModelSerializer):
    debit_account = serializers.CharField(source="debit_account.code")
    credit_account = serializers.CharField(source="credit_account.code")
    specificity = serializers.IntegerField()
    ties_with = serializers.ListField(child=serializers.IntegerField(), help_text="active rules it ties with")

    class Meta:
        model = PostingRule
        fields = ("id", "name", "event", "source", "project", "currency", "direction", "debit_account",
                  "credit_account", "priority", "is_active", "specificity", "ties_with")


class LedgerBalanceSerializer(serializers.Serializer):
    account = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    currency = serializers.CharField()
    debit = _money()
    credit = _money()
    balance = _money(help_text="debit minus credit")


class LedgerTrialBalanceSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    rows = LedgerBalanceSerializer(many=True)
    totals = serializers.DictField(child=_money(), help_text="per currency, the sum of balances (zero when balanced)")


class LedgerStatementRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    voucher_id = serializers.IntegerField()
    voucher__number = serializers.CharField(allow_null=True)
    description = serializers.CharField()
    project = serializers.CharField()
    debit = _money()
    credit = _money()
    balance = _money(help_text="running balance after this line (debit minus credit)")


class LedgerGLResultSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.code")
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True, default=None)
    timing = serializers.DictField(help_text="items in flight at the cut-off: count, amount, items (first 100)")

    class Meta:
        model = GLReconciliationResult
        fields = ("id", "account", "currency", "gl_balance", "subledger_balance", "provider_balance", "variance",
                  "tolerance", "status", "timing", "review_status", "review_reason", "reviewed_by", "reviewed_at")


class LedgerGLRunSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username")

    class Meta:
        model = GLReconciliationRun
        fields = ("id", "as_of", "status", "created_by", "created_at", "finished_at", "error")


class LedgerGLRunDetailSerializer(LedgerGLRunSerializer):
    results = LedgerGLResultSerializer(many=True)

    class Meta(LedgerGLRunSerializer.Meta):
        fields = (*LedgerGLRunSerializer.Meta.fields, "results")


class LedgerGLRunInputSerializer(serializers.Serializer):
    as_of = serializers.DateField()


class LedgerGLReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["acknowledged", "resolved"])
    reason = BodyText(max_length=2000, required=False, allow_blank=True, default="")
