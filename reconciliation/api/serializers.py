"""Reconciliation as the API shows it: results, runs, the summary, and the review input."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from common.api.params import DATE_SCHEMA, BodyText, DateParam, date_order, invalid
from reconciliation.choices import ReasonCode, ReviewState
from reconciliation.models import ReconciliationResult, ReconciliationRun
from reconciliation.services import MAX_RANGE_DAYS

RESULT_FIELDS = ("id", "run_id", "key", "result_date", "project", "result_type", "amount_differs", "status_differs",
                 "vima_transaction_id", "payshack_transaction_id", "vima_count", "payshack_count", "vima_amount",
                 "payshack_amount", "vima_currency", "payshack_currency", "vima_status", "payshack_status",
                 "difference", "review_state", "assignee", "reason_code", "note", "reviewed_at")


class ResultSerializer(serializers.ModelSerializer):
    run_id = serializers.IntegerField()
    vima_transaction_id = serializers.UUIDField(allow_null=True)
    payshack_transaction_id = serializers.UUIDField(allow_null=True)
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)

    class Meta:
        model = ReconciliationResult
        fields = RESULT_FIELDS


class HistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="history_date")
    user = serializers.CharField(source="history_user.username", allow_null=True, default=None)
    review_state = serializers.CharField()
    reason_code = serializers.CharField()
    note = serializers.CharField()
    assignee_id = serializers.IntegerField(allow_null=True)
    change = serializers.CharField(source="history_change_reason", allow_null=True,
                                   help_text='"review" for a change made by a person; "carried over from result N '
                                             'of run M" when a rerun gave this result the review of an earlier one')


class ResultDetailSerializer(ResultSerializer):
    history = serializers.SerializerMethodField()

    class Meta(ResultSerializer.Meta):
        fields = (*RESULT_FIELDS, "history")

    def get_history(self, result) -> list[dict]:
        rows = result.history.select_related("history_user").order_by("history_date", "history_id")
        return HistorySerializer(rows, many=True).data


class RunSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="status")
    # Plain strings: the same choices as the transactions' ``source`` under two more names would be two enums.
    left_source = serializers.CharField()
    right_source = serializers.CharField()
    superseded_by = serializers.IntegerField(source="superseded_by_id", allow_null=True)

    class Meta:
        model = ReconciliationRun
        fields = ("id", "state", "date_from", "date_to", "left_source", "right_source", "trigger", "counts",
                  "parameters", "started_at", "finished_at", "duration_ms", "error", "superseded_by")


def _one_of(*shapes: tuple[str, ...]) -> dict:
    """A JSON schema: an object with exactly the fields of one of ``shapes``, each a date."""
    return {"oneOf": [{"type": "object", "properties": {name: DATE_SCHEMA for name in shape}, "required": list(shape),
                       "additionalProperties": False} for shape in shapes]}


# The body as the schema states it: the serializer's rule "date, or date_from and date_to" as a oneOf.
RUN_REQUEST_SCHEMA = _one_of(("date",), ("date_from", "date_to"))


class RunRequestSerializer(serializers.Serializer):
    """Either ``date`` or ``date_from`` and ``date_to`` (inclusive business days)."""

    date = DateParam()
    date_from = DateParam()
    date_to = DateParam()

    def validate(self, attrs):
        unexpected = sorted(set(self.initial_data) - set(self.fields))
        if unexpected:  # the schema says so (additionalProperties: false): a misspelt field is not ignored
            raise serializers.ValidationError({unexpected[0]: ["unexpected field: expected date, or date_from and "
                                                               "date_to"]})
        if attrs.get("date") and (attrs.get("date_from") or attrs.get("date_to")):
            raise serializers.ValidationError({"date": ["expected either date or date_from and date_to, got both"]})
        if attrs.get("date"):
            return {"date_from": attrs["date"], "date_to": attrs["date"]}
        if not (attrs.get("date_from") and attrs.get("date_to")):
            raise serializers.ValidationError({"date": ["expected date, or date_from and date_to, as YYYY-MM-DD"]})
        date_order(attrs["date_from"], attrs["date_to"], names=("date_from", "date_to"))
        if (attrs["date_to"] - attrs["date_from"]).days >= MAX_RANGE_DAYS:
            raise invalid("date_from", f"a period of at most {MAX_RANGE_DAYS} days", str(attrs["date_from"]))
        return attrs


class ReviewSerializer(serializers.Serializer):
    """A review change: any of state, reason, note, assignee (a username; null to unassign)."""

    review_state = serializers.ChoiceField(choices=ReviewState.choices, required=False)
    reason_code = serializers.ChoiceField(choices=ReasonCode.choices, required=False, allow_blank=True)
    note = BodyText(required=False, allow_blank=True, max_length=4000)
    assignee = serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.all(),
                                            required=False, allow_null=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                {"review_state": ["expected at least one of review_state, reason_code, note, assignee, got none"]})
        return attrs


class SummarySerializer(serializers.Serializer):
    date = serializers.DateField()
    run_id = serializers.IntegerField(allow_null=True)
    run_finished_at = serializers.DateTimeField(allow_null=True, help_text="when the run the figures come from ended")
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    percentages = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=2))
    match_rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    discrepancies = serializers.IntegerField()
    review = serializers.DictField(child=serializers.IntegerField())
