"""The admin's home page: the dashboard above the usual list of apps (finance staff, any role)."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from analytics.params import TrendsParams, metrics_query
from common.api.params import parsed
from common.cache import cached
from common.sources import transaction_source_choices
from credit_portfolio import selectors as credit_portfolio_selectors
from credit_portfolio.access import portfolio_access
from credit_portfolio.choices import CREDIT_PORTFOLIO, CREDIT_PORTFOLIO_TTL
from dashboard import selectors
from dashboard.charts import forecast_chart, trend_chart
from reconciliation.choices import DISCREPANCY_TYPES, ResultType

# The trend chart's steps; weeks are left to the API (a chart of a few bars says little).
GRANULARITIES = ("day", "hour")


def _parsed(request):
    """(MetricsQuery, granularity) from the page's query string, read by the metrics endpoints' own parameters
    (``analytics.params``) so that a period here is exactly the period the API means; a bad value is reported
    and the defaults used. Staff come with a session, which sees every project, as on the API."""
    # A form sends its fields even when left empty (no project chosen): here empty means "not set".
    data = {name: value for name, value in request.GET.items() if value}
    if data.get("granularity") not in GRANULARITIES:
        data.pop("granularity", None)
    try:
        asked = parsed(TrendsParams, data)
    except ValidationError as error:
        messages.error(request, f"Dashboard filters not applied: {_describe(error.detail)}")
        asked = parsed(TrendsParams, {})
    projects = frozenset({asked["project"]}) if asked.get("project") else None
    return metrics_query(asked, projects=projects), asked["granularity"]


def _describe(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{field}: {' '.join(str(m) for m in msgs) if isinstance(msgs, list) else msgs}"
                         for field, msgs in detail.items())
    return str(detail)


def _credit_portfolio(request) -> dict | None:
    """The portfolio's cards, for those who may see it (cached per access level, as the API's answers)."""
    access = portfolio_access(request.user)
    if access is None:
        return None
    return cached(CREDIT_PORTFOLIO, f"{access}|dashboard", ttl=CREDIT_PORTFOLIO_TTL,
                  compute=credit_portfolio_selectors.dashboard_cards)


def index(request):
    """The admin index with the dashboard's data in its context (the template is ``admin.site.index_template``)."""
    query, step = _parsed(request)
    data = selectors.dashboard(query=query, granularity=step, now=timezone.now())
    forecast = selectors.forecast_against_actual(series=request.GET.get("forecast_series", "")[:128],
                                                 today=timezone.now().date())
    context = {
        "dashboard_forecast": forecast,
        "dashboard_forecast_chart": forecast_chart(forecast),
        "dashboard": data,
        "dashboard_chart": trend_chart(data["trend"], tz=query.period.tz, granularity=step),
        "dashboard_filters": {
            "from_date": query.period.first_day, "to_date": query.period.last_day,
            "timezone": query.period.tz.key, "granularity": step,
            "project": next(iter(query.projects)) if query.projects and len(query.projects) == 1 else "",
            "source": query.source or "",
        },
        "dashboard_sources": [name for name, _ in transaction_source_choices()],
        "reconciliation_time_zone": settings.RECONCILIATION_TIME_ZONE,
        "dashboard_granularities": GRANULARITIES,
        "dashboard_projects": selectors.known_projects(),
        "dashboard_result_types": ResultType.choices,
        "dashboard_discrepancy_types": DISCREPANCY_TYPES,
        "credit_portfolio": _credit_portfolio(request),
    }
    return admin.site.index(request, extra_context=context)
