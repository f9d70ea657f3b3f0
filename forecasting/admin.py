"""Back office for forecasting: the model registry (with "retrain now"), stored forecasts and the accuracy log.
All read-only: rows are written by the retrain and the nightly job."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html_join

from common.admin_readonly import ReadOnlyAdmin
from common.roles import FINANCE_MANAGER, user_has_role
from forecasting.backtest import gate_score
from forecasting.models import AccuracyEntry, ForecastModel, StoredForecast


@admin.register(ForecastModel)
class ForecastModelAdmin(ReadOnlyAdmin):
    """Each retrain's candidate: its backtest against the baseline and the live model, and the gate's decision."""

    list_display = ("version", "status", "algorithm", "trained_at", "trigger", "window_first", "window_last", "score",
                    "decision_reason", "training_seconds")
    list_filter = ("status", "trigger")
    readonly_fields = ("backtest_table",)
    change_list_template = "admin/forecasting/forecastmodel/change_list.html"

    @admin.display(description="gate decision")
    def decision_reason(self, model):
        return model.decision.get("reason", "")

    @admin.display(description="backtest: mean MAPE % over horizons 1–14 (zero actuals left out)")
    def backtest_table(self, model):
        rows = [(name, kind, f"{gate_score({kind: cells}):.2f}" if gate_score({kind: cells}) is not None else "—")
                for name, by_kind in model.metrics.items() for kind, cells in by_kind.items()]
        return format_html_join("", "<div>{} · {}: {} %</div>", rows)

    def get_urls(self):
        retrain = path("retrain/", self.admin_site.admin_view(self.retrain_view), name="forecasting_retrain")
        return [retrain, *super().get_urls()]

    def retrain_view(self, request):
        """POST: queue a retrain (finance manager and above); the registry shows the outcome."""
        if request.method != "POST" or not user_has_role(request.user, FINANCE_MANAGER):
            return HttpResponseForbidden("Retraining needs the finance manager role and a POST.")
        from forecasting.tasks import retrain

        transaction.on_commit(lambda: retrain.delay(trigger="admin"))
        self.message_user(request, "Retrain queued: a new row appears here when it is done; the gate decides "
                                   "whether it replaces the live model.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:forecasting_forecastmodel_changelist"))


@admin.register(StoredForecast)
class StoredForecastAdmin(ReadOnlyAdmin):
    list_display = ("series", "day", "made_on", "horizon", "predicted", "lower", "upper", "model")
    list_filter = ("horizon",)
    search_fields = ("series",)
    date_hierarchy = "day"
    list_select_related = ("model",)
    show_full_result_count = False


@admin.register(AccuracyEntry)
class AccuracyEntryAdmin(ReadOnlyAdmin):
    """Stored forecasts against their actuals; the error % is empty for a zero actual."""

    list_display = ("series", "day", "horizon", "predicted", "actual", "error", "error_pct", "recorded_at")
    search_fields = ("forecast__series",)
    list_select_related = ("forecast",)
    show_full_result_count = False

    @admin.display(ordering="forecast__series")
    def series(self, entry):
        return entry.forecast.series

    @admin.display(ordering="forecast__day")
    def day(self, entry):
        return entry.forecast.day

    @admin.display()
    def horizon(self, entry):
        return entry.forecast.horizon

    @admin.display()
    def predicted(self, entry):
        return entry.forecast.predicted
