"""What the dashboard shows, gathered from the selectors the API answers from (never counted a second way).

Metrics come from ``analytics.selectors`` with the same ``MetricsQuery`` the metrics endpoints build, sync
state from ``integrations.selectors.sync_status`` (GET /sync/status), reconciliation from
``reconciliation.selectors.summary`` (GET /reconciliation/summary), the ledger's posting state and unreconciled
accounts from ``ledger.selectors.dashboard_card``.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from analytics import selectors as metrics
from analytics.selectors import MetricsQuery
from integrations.selectors import sync_status
from ledger.selectors import dashboard_card as ledger_card
from reconciliation.selectors import summary
from transactions.models import ProjectMapping


def dashboard(*, query: MetricsQuery, granularity: str, now: datetime) -> dict:
    """Everything on the page for one period, project filter and trend granularity."""
    return {
        "overview": metrics.overview(query),
        "by_project": metrics.by_project(query),
        "trend": metrics.trends(query, granularity=granularity),
        "providers": providers(now=now),
        "reconciliation": reconciliation_yesterday(now=now, projects=query.projects),
        "ledger": ledger_card(day=business_yesterday(now)),
    }


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
