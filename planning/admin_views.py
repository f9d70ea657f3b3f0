"""The admin's page of plans and the loan book: year performance, plans performance, a borrower's credits.

It reads the same selectors as the API (``planning.selectors``, ``lending.selectors``); a bad parameter
is shown as a message and the default used, never a 500.
"""

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from common.errors import ApplicationError
from common.roles import VIEWER, user_has_role
from lending.selectors import borrower_credits
from planning import selectors
from planning.calendar import business_today
from planning.selectors import YEAR_CATEGORIES


def _int(request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    messages.error(request, f"{name}: expected a whole number from {low} to {high}, got {raw!r}")
    return default


def _date(request, name: str, default: date) -> date:
    raw = request.GET.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        messages.error(request, f"{name}: expected a date as YYYY-MM-DD, got {raw!r}")
        return default


def performance(request):
    if not user_has_role(request.user, VIEWER):
        raise PermissionDenied
    today = business_today()
    year = _int(request, "year", today.year, 1970, 2199)
    as_of = _date(request, "date", today)
    project = request.GET.get("project", "")[:64]
    borrower = _int(request, "borrower", None, 1, 10**18)
    credits = None
    if borrower is not None:
        try:
            credits = borrower_credits(borrower_id=borrower, as_of=as_of)
        except ApplicationError as error:
            messages.error(request, error.message)
    context = {
        **admin.site.each_context(request), "title": "Plan against actual",
        "year": year, "as_of": as_of, "project": project, "borrower": borrower or "",
        "year_rows": [(month["month"], [month[code] for code in YEAR_CATEGORIES])
                      for month in selectors.year_performance(year=year, project=project)["months"]],
        "plans_performance": selectors.plans_performance(as_of=as_of, project=project),
        "credits": credits,
    }
    return TemplateResponse(request, "planning/performance.html", context)
