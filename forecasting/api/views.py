"""/api/v1/forecasts/… (SPEC 14): forecasts of a series for a date or a range, the comparison with actuals,
its CSV, retraining as a task, and the live model's card."""

from datetime import date

from django.db import transaction
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.params import parsed
from common.api.permissions import IsFinanceManager, IsViewer
from common.api.schema import answers, data_envelope
from common.errors import ApplicationError, ErrorCode
from common.exports import rows_csv_chunks
from forecasting.api.params import ForecastParams, RangeParams
from forecasting.models import ForecastModel
from forecasting.predict import HorizonTooLong, forecast_points
from forecasting.reports import COLUMNS, compared, point_dict
from forecasting.selectors import SALES, SeriesKey, live_model, series_exists, series_keys

NO_MODEL = "No live model yet: POST /api/v1/forecasts/retrain trains one."
NO_SERIES = "No such series (no department or payment group of that name)."


def _series(raw: str | None) -> list[SeriesKey]:
    """The asked series, or every department's sales when none is asked; an unknown one is a 404."""
    if not raw:
        return series_keys(kinds=(SALES,))
    try:
        key = SeriesKey.parse(raw)
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    if not series_exists(key):
        raise NotFound(f"unknown series {raw!r}: no department or payment group has that name")
    return [key]


def _ranged(request) -> tuple[list[SeriesKey], date, date]:
    asked = parsed(RangeParams, request.query_params)
    return _series(asked.get("series")), asked["from_date"], asked["to_date"]


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

    @extend_schema(operation_id="forecasts_forecast", parameters=[ForecastParams],
                   responses=answers({200: data_envelope("Forecast", serializers.DictField())},
                                     not_found=NO_SERIES, conflict=NO_MODEL),
        description="One series' forecast for a date, made from the actuals before it, with its 80 % interval; "
                    "a short history is answered by the seasonal-naive baseline with a note.")
    def get(self, request):
        asked = parsed(ForecastParams, request.query_params)
        keys, day = _series(asked["series"]), asked["date"]
        model = _live()
        point = _points(keys, day, day, model)[0]
        return Response({"data": {**point_dict(point), "model_version": model.version}})


class BatchView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_batch", parameters=[RangeParams],
                   responses=answers({200: data_envelope("ForecastBatch", serializers.ListField())},
                                     not_found=NO_SERIES, conflict=NO_MODEL),
                   description="Forecasts of every department (or one series) for each day of a range.")
    def get(self, request):
        keys, first, last = _ranged(request)
        model = _live()
        points = _points(keys, first, last, model)
        return Response({"data": [point_dict(p) for p in points], "meta": {"model_version": model.version,
                                                                            "series": len(keys)}})


class ComparisonView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_comparison", parameters=[RangeParams],
                   responses=answers({200: data_envelope("ForecastComparison", serializers.ListField())},
                                     not_found=NO_SERIES, conflict=NO_MODEL),
                   description="Forecasts made from the actuals before from_date beside the actuals: error is "
                               "predicted − actual; error_pct is null for a zero actual (or one not known yet).")
    def get(self, request):
        keys, first, last = _ranged(request)
        model = _live()
        return Response({"data": _compared(keys, first, last, model), "meta": {"model_version": model.version}})


class ExportView(APIView):
    permission_classes = [IsViewer]

    @extend_schema(operation_id="forecasts_export", parameters=[RangeParams],
                   responses=answers({(200, "text/csv"): OpenApiTypes.BINARY}, not_found=NO_SERIES,
                                     conflict=NO_MODEL),
                   description="The comparison as CSV: one row per series and day.")
    def get(self, request):
        keys, first, last = _ranged(request)
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

    @extend_schema(operation_id="forecasts_model",
                   responses=answers({200: data_envelope("ForecastModel", serializers.DictField())},
                                     conflict=NO_MODEL),
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


