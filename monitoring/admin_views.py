"""The operations page of the back office (finance_admin only): cache, schedules, sync history,
quarantine, failed tasks and the evidence of failed portal runs, with a few buttons."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from common.cache import namespace_bump, namespace_versions
from common.roles import FINANCE_ADMIN, user_has_role
from credit_portfolio.selectors import import_overview
from monitoring import selectors
from monitoring.services import schedule_run_now, schedule_toggle

# How far back the page lists failed runs (above the latest runs).
FAILED_RUNS_WINDOW = timedelta(days=7)


def _finance_admin_only(view):
    """Staff login (the admin's own check, with its redirect to the login page), then the role: others get 403."""

    def check_role(request, *args, **kwargs):
        if not user_has_role(request.user, FINANCE_ADMIN):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(check_role)


@_finance_admin_only
def operations(request):
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Operations",
        "namespaces": selectors.cache_namespaces(),
        "schedules": selectors.schedules(now=now),
        "failed_runs": selectors.recent_runs(failed=True, since=now - FAILED_RUNS_WINDOW),
        "latest_runs": selectors.recent_runs(failed=False, since=now - timedelta(days=365)),
        "quarantine": selectors.quarantine_counts(),
        "evidence": selectors.failed_run_evidence(),
        "incidents": selectors.open_incidents(),
        "task_failures": selectors.recent_task_failures(),
        "failed_days": FAILED_RUNS_WINDOW.days,
        "credit_portfolio": import_overview(now=now),
    }
    return TemplateResponse(request, "monitoring/operations.html", context)


@_finance_admin_only
@require_POST
def cache_bump(request, namespace: str):
    if namespace not in {ns.namespace for ns in selectors.cache_namespaces()}:
        raise Http404("unknown cache namespace")
    namespace_bump(namespace)
    version = namespace_versions([namespace])[namespace]
    messages.success(request, f"Cache namespace {namespace!r} cleared: its version is now {version}.")
    return redirect("operations:index")


@_finance_admin_only
@require_POST
def schedule_switch(request, task_id: int):
    try:
        enabled = schedule_toggle(task_id=task_id)
    except PeriodicTask.DoesNotExist:
        raise Http404("no such periodic task") from None
    messages.success(request, f"Schedule {'enabled' if enabled else 'disabled'}.")
    return redirect("operations:index")


@_finance_admin_only
@require_POST
def schedule_run(request, task_id: int):
    try:
        name = schedule_run_now(task_id=task_id)
    except PeriodicTask.DoesNotExist:
        raise Http404("no such periodic task") from None
    messages.success(request, f"{name!r} queued to run now.")
    return redirect("operations:index")
