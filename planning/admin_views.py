"""The admin's page of plans and the loan book: year performance, plans performance, a borrower's credits.

It reads the API's parameters (``planning.api.params``, ``lending.api.params``) and selectors
(``planning.selectors``, ``lending.selectors``); a bad parameter is shown as a message and its default used,
never a 500.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from common.api.params import IdParam, parsed_with_defaults
from common.errors import ApplicationError
from common.roles import VIEWER, user_has_role
from lending.api.params import BorrowerCreditsParams
from lending.selectors import borrower_credits
from planning import selectors
from planning.api.params import PlansPerformanceParams, YearParams
from planning.selectors import YEAR_CATEGORIES


class PerformancePageParams(YearParams, PlansPerformanceParams, BorrowerCreditsParams):
    """The page's filters: the API's year, date and project parameters, and the borrower whose credits to show."""

    borrower = IdParam(help_text="a borrower's id: their credits as of the date")

    def validate(self, attrs):
        return {**YearParams.validate(self, attrs), **PlansPerformanceParams.validate(self, attrs)}


def performance(request):
    if not user_has_role(request.user, VIEWER):
        raise PermissionDenied
    # A form sends its fields even when left empty: here empty means "not set".
    given = {name: value for name, value in request.GET.items() if value}
    asked, problems = parsed_with_defaults(PerformancePageParams, given)
    for problem in problems:
        messages.error(request, problem)
    year, as_of, project, borrower = asked["year"], asked["date"], asked.get("project", ""), asked.get("borrower")
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
