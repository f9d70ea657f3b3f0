"""Shapes of the metrics answers, for the OpenAPI schema (views hand plain data to the renderer)."""

from rest_framework import serializers


def _amount(**kwargs):
    return serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False, **kwargs)


class PeriodSerializer(serializers.Serializer):
    to = serializers.DateTimeField(help_text="exclusive")
    from_date = serializers.DateField()
    to_date = serializers.DateField(help_text="inclusive")
    timezone = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(help_text="start of from_date in the time zone, UTC")
        return fields


class MoneySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = _amount(allow_null=True, help_text="one figure: in `currency` (the reporting currency when asked "
                                                "for); null when several currencies are involved and none asked for")
    currency = serializers.CharField(allow_null=True)
    by_currency = serializers.DictField(child=_amount(), help_text="exact amounts per currency")


class AverageSerializer(serializers.Serializer):
    amount = _amount(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    by_currency = serializers.DictField(child=_amount())


class ChangeSerializer(serializers.Serializer):
    previous = serializers.JSONField(help_text="the figure of the previous period, same shape as the current one")
    change_pct = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True,
                                          help_text="relative change in percent; null when not comparable")


class TrendsSerializer(serializers.Serializer):
    previous_period = PeriodSerializer()
    count = ChangeSerializer()
    amount = ChangeSerializer()
    conversion_rate = ChangeSerializer()
    avg_ticket = ChangeSerializer()


def _per(name: str):
    return serializers.DictField(child=MoneySerializer(), help_text=f"per {name}")


class PaymentsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="pairs + orphans of each side: every payment once")
    pairs = serializers.IntegerField(help_text="payments both sources recorded (matching or not), counted once")
    orphans = serializers.DictField(child=serializers.IntegerField(), help_text="per source, payments only it has")
    days_reconciled = serializers.IntegerField()
    days = serializers.IntegerField()
    unreconciled_days = serializers.ListField(child=serializers.DateField(), help_text="not counted (first 31)")
    time_zone = serializers.CharField(help_text="the reconciliation's time zone, whose days are read")


class OverviewSerializer(serializers.Serializer):
    period = PeriodSerializer()
    total = MoneySerializer()
    by_status = _per("status (every status, zeros included)")
    by_source = _per("source")
    by_direction = _per("direction (payin, payout)")
    conversion_rate = serializers.DecimalField(max_digits=6, decimal_places=4, coerce_to_string=False,
                                               allow_null=True, help_text="successful / all, 0…1")
    avg_ticket = AverageSerializer(help_text="mean amount of successful transactions")
    trends = TrendsSerializer(help_text="against the period of equal length just before")
    payments = PaymentsSerializer(allow_null=True, help_text=(
        "payments with a reconciled pair counted once, from the reconciliation results of the period's reconciled "
        "days (a day without a run is not counted and is named); null under a status or direction filter"))


class ProjectMetricsSerializer(MoneySerializer):
    project = serializers.CharField()
    success_count = serializers.IntegerField()
    success_amount = _amount(allow_null=True)
    success_rate = serializers.DecimalField(max_digits=6, decimal_places=4, coerce_to_string=False, allow_null=True)


class StatusMetricsSerializer(MoneySerializer):
    status = serializers.CharField()
    share = serializers.DecimalField(max_digits=6, decimal_places=4, coerce_to_string=False, allow_null=True)


class TrendPointSerializer(MoneySerializer):
    timestamp = serializers.DateTimeField(help_text="start of the hour, day or week in the time zone, UTC")
    success_count = serializers.IntegerField()
    failed_count = serializers.IntegerField()


class TrendsAnswerSerializer(serializers.Serializer):
    period = PeriodSerializer()
    granularity = serializers.CharField()
    points = TrendPointSerializer(many=True)
