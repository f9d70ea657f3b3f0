"""/api/v1/forecasts/… (SPEC 14): forecasts of a series for a date or a range, the comparison with actuals,
its CSV, retraining as a task, and the live model's card."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import date_order, date_param, invalid
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import data_envelope
from common.errors import ApplicationError, ErrorCode
from common.exports import rows_csv_chunks
from forecasting.models import ForecastModel
from forecasting.predict import HorizonTooLong, forecast_points
from forecasting.reports import COLUMNS, compared, point_dict
from forecasting.selectors import SALES, SeriesKey, live_model, series_exists, series_keys

_SERIES = OpenApiParameter("series", str, description="kind:key: sales:D001, payments_count:91G:payin or "
                                                      "payments_amount:91G:payin:INR (default: every department)")
_RANGE = [OpenApiParameter("from_date", str, required=True, description="YYYY-MM-DD"),
          OpenApiParameter("to_date", str, required=True, description="YYYY-MM-DD")]


def _series(params, *, required: bool) -> list[SeriesKey]:
    raw = params.get("series", "")
    if not raw:
        if required:
            raise invalid("series", "a series such as sales:D001", raw)
        return series_keys(kinds=(SALES,))
    try:
        key = SeriesKey.parse(raw)
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    if not series_exists(key):
        raise NotFound(f"unknown series {raw!r}: no department or payment group has that name")
    return [key]


def _range(params) -> tuple[date, date]:
    first, last = date_param(params, "from_date"), date_param(params, "to_date")
    if first is None or last is None:
        raise ValidationError({"from_date" if first is None else "to_date": ["expected a date as YYYY-MM-DD"]})
    date_order(first, last)
    limit = settings.FORECAST_MAX_RANGE_DAYS
    if (last - first).days + 1 > limit:
        raise invalid("to_date", f"a range of at most {limit} days (FORECAST_MAX_RANGE_DAYS)",
                      f"{first}..{last}: {(last - first).days + 1} days")
    return first, last


def _live() -> ForecastModel:
    model = live_model()
    if model is None:
        raise ApplicationError("no live forecasting model yet: POST /api/v1/forecasts/retrain trains one "
                               "(the first model trained is deployed)", code=ErrorCode.CONFLICT)
    return model


def _points(keys, first, last, model):
    try:
        return forecast_points(keys, first=first, last=last, model=model)
    except HorizonTooLong as exc:
        raise ValidationError({"date": [str(exc)]}) from None


def _compared(keys, first, last, model):
    try:
        return compared(keys, first=first, last=last, model=model)
    except HorizonTooLong as exc:
        raise ValidationError({"to_date": [str(exc)]}) from None


class ForecastView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_forecast", parameters=[
        OpenApiParameter("series", str, required=True, description="kind:key, e.g. sales:D001"),
        OpenApiParameter("date", str, required=True, description="YYYY-MM-DD")],
        responses=data_envelope("Forecast", serializers.DictField()),
        description="One series' forecast for a date, made from the actuals before it, with its 80 % interval; "
                    "a short history is answered by the seasonal-naive baseline with a note.")
    def get(self, request):
        keys = _series(request.query_params, required=True)
        day = date_param(request.query_params, "date")
        if day is None:
            raise invalid("date", "a date as YYYY-MM-DD", request.query_params.get("date", ""))
        model = _live()
        point = _points(keys, day, day, model)[0]
        return Response({"data": {**point_dict(point), "model_version": model.version}})


class BatchView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_batch", parameters=[_SERIES, *_RANGE],
                   responses=data_envelope("ForecastBatch", serializers.ListField()),
                   description="Forecasts of every department (or one series) for each day of a range.")
    def get(self, request):
        keys = _series(request.query_params, required=False)
        first, last = _range(request.query_params)
        model = _live()
        points = _points(keys, first, last, model)
        return Response({"data": [point_dict(p) for p in points], "meta": {"model_version": model.version,
                                                                            "series": len(keys)}})


class ComparisonView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_comparison", parameters=[_SERIES, *_RANGE],
                   responses=data_envelope("ForecastComparison", serializers.ListField()),
                   description="Forecasts made from the actuals before from_date beside the actuals: error is "
                               "predicted − actual; error_pct is null for a zero actual (or one not known yet).")
    def get(self, request):
        keys = _series(request.query_params, required=False)
        first, last = _range(request.query_params)
        model = _live()
        return Response({"data": _compared(keys, first, last, model), "meta": {"model_version": model.version}})


class ExportView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_export", parameters=[_SERIES, *_RANGE],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY},
                   description="The comparison as CSV: one row per series and day.")
    def get(self, request):
        keys = _series(request.query_params, required=False)
        first, last = _range(request.query_params)
        rows = _compared(keys, first, last, _live())
        table = [COLUMNS, *([row[column] for column in COLUMNS] for row in rows)]
        response = StreamingHttpResponse(rows_csv_chunks(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="forecasts-{first}-{last}.csv"'
        return response


class RetrainView(APIView):
    permission_classes = [IsFinanceManager]

    @extend_schema(operation_id="forecasts_retrain", request=None,
                   responses={202: data_envelope("ForecastRetrainQueued", serializers.DictField())},
                   description="Queue a retrain; the gate decides whether the candidate replaces the live model. "
                               "GET /api/v1/forecasts/model shows the outcome.")
    def post(self, request):
        from forecasting.tasks import retrain

        transaction.on_commit(lambda: retrain.delay(trigger="api"))
        return Response({"data": {"queued": True, "result": "/api/v1/forecasts/models"}},
                        status=status.HTTP_202_ACCEPTED)


def model_card(model: ForecastModel) -> dict:
    return {"version": model.version, "status": model.status, "algorithm": model.algorithm,
            "trained_at": model.trained_at, "trigger": model.trigger,
            "window": {"first": model.window_first, "last": model.window_last}, "features": model.features,
            "score_mape_pct": model.score, "decision": model.decision, "backtest": model.metrics,
            "training_seconds": model.training_seconds, "deployed_at": model.deployed_at}


class ModelView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_model", responses=data_envelope("ForecastModel", serializers.DictField()),
                   description="The live model: version, features, training window, backtest metrics per model, "
                               "series kind and horizon (MAE; MAPE in % without zero actuals), the gate's decision.")
    def get(self, request):
        return Response({"data": model_card(_live())})


class ModelsView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_models", responses=data_envelope("ForecastModels", serializers.ListField()),
                   description="The registry, newest first (the last 20): each retrain's scores and decision.")
    def get(self, request):
        models = ForecastModel.objects.order_by("-version")[:20]
        return Response({"data": [{key: value for key, value in model_card(m).items() if key != "backtest"}
                                  for m in models]})


