"""What the dashboard shows, gathered from the selectors the API answers from (never counted a second way).

Metrics come from ``analytics.selectors`` through the same cache keys (``analytics.cached``) with the same
``MetricsQuery`` the metrics endpoints build, sync
state from ``integrations.selectors.sync_status`` (GET /sync/status), reconciliation from
``reconciliation.selectors.summary`` (GET /reconciliation/summary), plans from ``planning.selectors``, the
ledger's posting state and unreconciled accounts from ``ledger.selectors.dashboard_card``.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from analytics.cached import cached_metric, cached_trends
from analytics.selectors import MetricsQuery
from integrations.selectors import sync_status
from ledger.selectors import dashboard_card as ledger_card
from monitoring.selectors import open_incidents
from planning.calendar import business_today
from planning.selectors import plans_performance
from reconciliation.selectors import summary
from transactions.models import ProjectMapping


def dashboard(*, query: MetricsQuery, granularity: str, now: datetime) -> dict:
    """Everything on the page for one period, project filter and trend granularity."""
    return {
        "overview": cached_metric("overview", query),
        "by_project": cached_metric("by-project", query),
        "trend": cached_trends(query, granularity)["points"],
        "providers": providers(now=now),
        "reconciliation": reconciliation_yesterday(now=now, projects=query.projects),
        "alerts": open_incidents(),
        "plans": plans_this_month(),
        "ledger": ledger_card(day=business_yesterday(now)),
    }


def plans_this_month() -> dict:
    """This business month's loan-book plans (no project) against its days so far (GET /planning/plans-performance)."""
    today = business_today()
    rows = [row for row in plans_performance(as_of=today, project="") if row["month"] == today.replace(day=1)]
    return {"month": today.replace(day=1), "today": today, "rows": rows}


def providers(*, now: datetime) -> list[dict]:
    """Each provider's last sync and state, with its lag: how long since its last successful sync ended."""
    rows = sync_status()
    for row in rows:
        last_success = row["last_successful_sync"]
        row["lag"] = now - last_success if last_success else None
    return rows


def reconciliation_yesterday(*, now: datetime, projects: frozenset[str] | None) -> dict:
    """The summary of yesterday's business day (the one the nightly run reconciles)."""
    return summary(day=business_yesterday(now), projects=projects)


def business_yesterday(now: datetime) -> date:
    """Yesterday in the reconciliation's time zone, as the nightly schedule counts it."""
    return now.astimezone(ZoneInfo(settings.RECONCILIATION_TIME_ZONE)).date() - timedelta(days=1)


def known_projects() -> list[str]:
    """Projects that provider clients are mapped to: the choices offered by the project filter."""
    return sorted(set(ProjectMapping.objects.values_list("project", flat=True)))


# The forecast chart: the last FORECAST_CHART_PAST days with actuals and the FORECAST_CHART_AHEAD days after.
FORECAST_CHART_PAST, FORECAST_CHART_AHEAD = 14, 7


def forecast_against_actual(*, series: str, today: date) -> dict:
    """A series' forecasts (made from the actuals before the period) beside its actuals, with the interval;
    ``rows`` is empty and ``note`` says why when there is no live model or no such series."""
    from forecasting.reports import compared
    from forecasting.selectors import SALES, SeriesKey, live_model, series_exists, series_keys

    model = live_model()
    if model is None:
        return {"series": series, "rows": [], "note": "No live forecasting model yet (Forecast models → Retrain now)."}
    try:
        key = SeriesKey.parse(series) if series else next(iter(series_keys(kinds=(SALES,))), None)
    except LookupError as exc:
        return {"series": series, "rows": [], "note": str(exc)}
    if key is None or not series_exists(key):
        return {"series": series, "rows": [], "note": f"No series {series or 'of sales'} to show."}
    first = today - timedelta(days=FORECAST_CHART_PAST)
    rows = compared([key], first=first, last=first + timedelta(days=FORECAST_CHART_PAST + FORECAST_CHART_AHEAD - 1),
                    model=model)
    return {"series": str(key), "rows": rows, "note": "", "model_version": model.version}
