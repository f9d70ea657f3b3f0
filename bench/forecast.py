"""Forecast accuracy and speed on the points-of-sale world (50 departments, two years) and the payment series.

    python -m bench.forecast [--departments 50] [--days 730] [--no-ets]

The POS sandbox world's daily truth (every order summed by close day, as an iiko sync stores it) is written
to ``DailySales``, and the payment sandbox world's successful payments to daily rollups, in a database of
the benchmark's own (``BENCH_DATABASE_URL``, default ``…/bench_forecast``: it empties these tables). Then:

- ``model_retrain`` (the product's path): the rolling-origin backtest (8 weekly origins, horizons 1–14) of
  the seasonal naive and LightGBM, and the final fit, timed;
- statsforecast's AutoETS (season 7), an outside reference run only here, on the same folds (the same
  origins, each fitted on the year of actuals up to its origin);
- the 30-day batch for every department (``forecast_points``), the API's path, timed.

Prints MAPE (zero actuals left out) and MAE per horizon and series kind, the targets, a yardstick and the load.
The world's truth is cached under ``var/bench/`` (summing ~3 million orders takes minutes).
"""

import argparse
import os
import pickle
import statistics
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import numpy as np

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_forecast")

from bench.setup import django_on_bench_database, yardstick  # noqa: E402

PAYMENTS = 400_000  # the payment world's size over the period: ~550 a day over two years
TARGET_LOWER = 0.20  # LightGBM's MAPE at horizons 1–7 at least 20 % below the seasonal naive's
ETS_HISTORY = 365  # days AutoETS is fitted on at each origin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--no-ets", action="store_true", help="skip statsforecast's AutoETS")
    options = parser.parse_args()
    django_on_bench_database()
    from django.test.utils import override_settings

    last = date.today() - timedelta(days=1)
    with override_settings(MEDIA_ROOT=str(Path("var/bench/media").resolve())):
        _load(options.departments, options.days, last)
        _run(options, last)
    print(yardstick())


def _load(departments: int, days: int, last: date) -> None:
    from analytics.models import TransactionRollup
    from forecasting.models import AccuracyEntry, ForecastModel, StoredForecast
    from sales.models import DailySales, Department, HourlySales

    truth, world = _pos_truth(departments, days, last)
    for model in (AccuracyEntry, StoredForecast, ForecastModel, HourlySales, DailySales, TransactionRollup):
        model.objects.all().delete()
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()
    _write_departments(world)
    _write_sales(world, truth, days, last)
    _write_payments(days, last)


def _pos_truth(departments: int, days: int, last: date):
    from integrations.sandbox.pos_world import PosWorld

    start = last - timedelta(days=days - 1)
    world = PosWorld(seed=7, start=start, days=days, departments=departments)
    cache = Path(f"var/bench/pos-truth-7-{departments}-{days}-{last}.pkl")
    if cache.exists():
        return pickle.loads(cache.read_bytes()), world
    started = time.perf_counter()
    truth = world.daily_truth(start, last + timedelta(days=1))
    print(f"POS world truth: {len(truth):,} department-days summed from the orders in "
          f"{time.perf_counter() - started:.0f} s")
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(truth))
    return truth, world


def _write_departments(world) -> None:
    from sales.models import Department

    organizations = {o.code: Department.objects.create(code=o.code, name=o.name, kind="organization",
                                                       iiko_id=o.iiko_id) for o in world.organizations}
    Department.objects.bulk_create([Department(code=d.code, name=d.name, parent=organizations[d.parent],
                                               parent_code=d.parent, iiko_id=d.iiko_id) for d in world.departments])


def _write_sales(world, truth, days: int, last: date) -> None:
    from decimal import Decimal

    from django.utils import timezone

    from sales.models import DailySales, Department

    ids = dict(Department.objects.values_list("code", "pk"))
    start, now = last - timedelta(days=days - 1), timezone.now()
    rows = [DailySales(department_id=ids[d.code], day=start + timedelta(days=i), currency="KZT", synced_at=now,
                       amount=truth.get((d.code, start + timedelta(days=i)), (Decimal(0), 0))[0],
                       orders=truth.get((d.code, start + timedelta(days=i)), (Decimal(0), 0))[1])
            for d in world.departments for i in range(days)]
    DailySales.objects.bulk_create(rows, batch_size=5_000)


def _write_payments(days: int, last: date) -> None:
    from analytics.models import TransactionRollup
    from analytics.spans import Span
    from integrations.sandbox.world import World

    start = last - timedelta(days=days - 1)
    world = World(seed=42, size=PAYMENTS, start=start, days=days)
    cells = defaultdict(lambda: [0, 0])
    for index in range(world.size):
        p = world.payment(index)
        if p.final_status == "success":
            cell = cells[(p.created_at.date(), p.project, p.direction, p.currency)]
            cell[0] += 1
            cell[1] += p.amount_minor * 100  # minor units (2 places) → ten-thousandths
    TransactionRollup.objects.bulk_create([
        TransactionRollup(span=Span.DAY, slot=datetime.combine(day, clock(), tzinfo=UTC), source="vima",
                          project=project, status="success", currency=currency, direction=direction, count=n,
                          amount_e4=e4, fee_e4=0)
        for (day, project, direction, currency), (n, e4) in cells.items()], batch_size=5_000)


def _run(options, last: date) -> None:
    from forecasting.services import model_retrain

    started = time.perf_counter()
    model = model_retrain(trigger="command", last=last)
    retrain_s = time.perf_counter() - started
    print(f"\nretrain (backtest of both models on {len(model.params['backtest_origins'])} weekly origins, "
          f"then the final fit): {retrain_s:.1f} s; final LightGBM fit (training time): {model.training_seconds:.1f} s"
          f" on {model.window_first}..{model.window_last}")
    metrics = dict(model.metrics)
    batch_s = _batch_seconds(model, last)
    _print_metrics(metrics)  # first without AutoETS: its hundreds of fits take long on a busy machine
    _print_targets(metrics, model.training_seconds, batch_s)
    if not options.no_ets:
        metrics["auto_ets"] = _auto_ets(model, last)
        _print_metrics(metrics)
        _print_targets(metrics, model.training_seconds, batch_s)


def _auto_ets(model, last: date) -> dict:
    """AutoETS on the backtest's folds: fitted on each series up to each origin, 14 days ahead."""
    try:
        from statsforecast.models import AutoETS
    except ImportError:
        print("statsforecast is not installed: no AutoETS reference (pip install statsforecast)")
        return {}
    from forecasting.backtest import error_scores
    from forecasting.training import training_series

    grouped = training_series(last=last)
    origins, metrics, started, fits = model.params["backtest_origins"], {}, time.perf_counter(), 0
    for kind, group in grouped.items():
        pairs = defaultdict(lambda: ([], []))
        for series in group:
            values = np.nan_to_num(series.values, nan=0.0)
            for origin in origins:
                # The last year before the origin: enough for a weekly season, and half the cost of two.
                mean = AutoETS(season_length=7).forecast(y=values[max(0, origin - ETS_HISTORY + 1):origin + 1],
                                                         h=14)["mean"]
                fits += 1
                for h in range(1, 15):
                    if origin + h < len(series.values) and not np.isnan(series.values[origin + h]):
                        pairs[h][0].append(max(float(mean[h - 1]), 0.0))
                        pairs[h][1].append(float(series.values[origin + h]))
        metrics[kind] = {str(h): error_scores(np.array(p), np.array(a)) for h, (p, a) in pairs.items()}
    print(f"AutoETS: {fits} fits in {time.perf_counter() - started:.1f} s")
    return metrics


def _batch_seconds(model, last: date) -> float:
    from forecasting.predict import forecast_points
    from forecasting.selectors import SALES, series_keys

    keys = series_keys(kinds=(SALES,))
    first, end = last + timedelta(days=1), last + timedelta(days=30)
    forecast_points(keys, first=first, last=end, model=model)  # reads the model file once per process
    times = []
    for _ in range(5):
        started = time.perf_counter()
        points = forecast_points(keys, first=first, last=end, model=model)
        times.append(time.perf_counter() - started)
    print(f"\n30-day batch for {len(keys)} departments ({len(points):,} forecasts, read from the database, one "
          f"prediction call): median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms of 5")
    return statistics.median(times)


def _print_metrics(metrics: dict) -> None:
    kinds = sorted({kind for by_kind in metrics.values() for kind in by_kind})
    for kind in kinds:
        print(f"\n{kind}: MAPE % (zero actuals left out) / MAE per horizon")
        print("model            " + " ".join(f"{h:>7}" for h in range(1, 15)) + "   mean 1-7")
        for name, by_kind in metrics.items():
            cells = by_kind.get(kind)
            if not cells:
                continue
            mape = [cells[str(h)]["mape"] for h in range(1, 15)]
            print(f"{name:<16} " + " ".join(f"{m:7.2f}" for m in mape) + f"   {np.mean(mape[:7]):7.2f}")
            print(f"{'  MAE':<16} " + " ".join(f"{cells[str(h)]['mae']:7.0f}" for h in range(1, 15)))


def _print_targets(metrics: dict, training_s: float, batch_s: float) -> None:
    print("\ntargets:")
    for kind in sorted(metrics["lightgbm"]):
        mean = {name: np.mean([by_kind[kind][str(h)]["mape"] for h in range(1, 8)])
                for name, by_kind in metrics.items() if by_kind.get(kind)}
        lower = 1 - mean["lightgbm"] / mean["seasonal_naive"]
        ets = f"; AutoETS {mean['auto_ets']:.2f} % ({'met' if mean['lightgbm'] < mean['auto_ets'] else 'NOT met'})" \
            if "auto_ets" in mean else ""
        print(f"  {kind}: LightGBM MAPE h1-7 {mean['lightgbm']:.2f} % vs seasonal naive {mean['seasonal_naive']:.2f} %"
              f": {lower:.0%} lower ({'met' if lower >= TARGET_LOWER else 'NOT met'}: at least 20 %){ets}")
    print(f"  training {training_s:.1f} s ({'met' if training_s < 60 else 'NOT met'}: under 60 s); 30-day batch "
          f"{batch_s * 1000:.0f} ms ({'met' if batch_s < 1 else 'NOT met'}: under 1 s)")


if __name__ == "__main__":
    main()
