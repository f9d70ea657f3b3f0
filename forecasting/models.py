"""The forecasting registry: trained models with their backtests and gate decisions, stored forecasts, and
the accuracy log of those forecasts against the actuals that arrived later."""

from django.db import models


class ForecastModel(models.Model):
    """One trained model (all series kinds at once), its backtest, and what the gate decided about it.

    ``metrics``: ``{model name: {series kind: {horizon: {"mae", "mape", "points", "mape_points"}}}}`` for the
    candidate, the seasonal-naive baseline and, when there was one, the live model it was compared with, all
    on the same backtest folds; ``score`` is the candidate's gate score (mean MAPE over horizons 1–14 and
    series kinds, in %). ``decision`` keeps both scores, the margin and the reason.
    """

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        RETIRED = "retired", "Retired (was live)"
        REJECTED = "rejected", "Rejected by the gate"

    version = models.PositiveIntegerField(unique=True)
    algorithm = models.CharField(max_length=32, default="lightgbm")
    status = models.CharField(max_length=16, choices=Status.choices)
    trained_at = models.DateTimeField()
    trigger = models.CharField(max_length=16, help_text="schedule, api, admin or command")
    window_first = models.DateField(help_text="First day of the training data.")
    window_last = models.DateField(help_text="Last day of the training data (the last actual known).")
    features = models.JSONField(default=list)
    params = models.JSONField(default=dict, help_text="Hyper-parameters and the interval's residual quantiles.")
    metrics = models.JSONField(default=dict)
    score = models.FloatField(null=True, help_text="Gate score: mean MAPE (%) over horizons 1–14 and kinds.")
    decision = models.JSONField(default=dict)
    file = models.CharField(max_length=255, help_text="The model file, relative to MEDIA_ROOT.")
    training_seconds = models.FloatField(default=0)
    deployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="live"), name="forecast_one_live"),
        ]

    def __str__(self):
        return f"v{self.version} {self.algorithm} ({self.status})"


class StoredForecast(models.Model):
    """A forecast as made on ``made_on`` (its origin: the last day whose actual was known) for ``day``.

    Money and counts are Decimal; ``lower``/``upper`` bound the 80 % prediction interval.
    """

    model = models.ForeignKey(ForecastModel, on_delete=models.PROTECT, related_name="forecasts")
    series = models.CharField(max_length=128, help_text="kind:key, e.g. sales:D001")
    day = models.DateField()
    made_on = models.DateField()
    horizon = models.PositiveSmallIntegerField()
    predicted = models.DecimalField(max_digits=20, decimal_places=4)
    lower = models.DecimalField(max_digits=20, decimal_places=4)
    upper = models.DecimalField(max_digits=20, decimal_places=4)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "day"]
        constraints = [
            models.UniqueConstraint(fields=["model", "series", "day", "made_on"], name="forecast_stored_unique"),
        ]
        indexes = [models.Index(fields=["series", "day"], name="forecast_stored_series_day")]

    def __str__(self):
        return f"{self.series} {self.day} (made {self.made_on}): {self.predicted}"


class AccuracyEntry(models.Model):
    """A stored forecast against its actual, once the actual arrived; ``error_pct`` is null when it was zero."""

    forecast = models.OneToOneField(StoredForecast, on_delete=models.CASCADE, related_name="accuracy")
    actual = models.DecimalField(max_digits=20, decimal_places=4)
    error = models.DecimalField(max_digits=20, decimal_places=4, help_text="predicted − actual")
    error_pct = models.DecimalField(max_digits=12, decimal_places=2, null=True,
                                    help_text="|error| / actual × 100; null for a zero actual")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "accuracy log"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.forecast}: actual {self.actual}"
