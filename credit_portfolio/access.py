"""Who sees the credit portfolio (SPEC 13): finance admins, and finance managers of the finance department.

``portfolio_access(user)`` is the one answer the API, the admin and the exports ask: ``ADMIN`` (reads,
runs imports, previews files), ``READER`` (reads) or None (nothing: 403 in the API, no admin menu).
A cached answer's key carries the access level, so it never reaches a user with other access.
"""

from django.conf import settings
from rest_framework.permissions import BasePermission

from common.api.scope import allowed_projects
from common.roles import FINANCE_ADMIN, FINANCE_MANAGER, user_has_role

ADMIN, READER = "admin", "reader"


def in_finance_department(user) -> bool:
    profile = getattr(user, "profile", None) if user and user.is_authenticated else None
    department = (profile.department if profile else "").strip().casefold()
    return bool(department) and department == settings.FINANCE_DEPARTMENT.strip().casefold()


def portfolio_access(user) -> str | None:
    if user_has_role(user, FINANCE_ADMIN):
        return ADMIN
    if user_has_role(user, FINANCE_MANAGER) and in_finance_department(user):
        return READER
    return None


def request_access(request) -> str | None:
    """The caller's access; None as well for a token limited to projects (the portfolio is no project's)."""
    if allowed_projects(request) is not None:
        return None
    return portfolio_access(request.user)


class CanSeePortfolio(BasePermission):
    message = "The credit portfolio is for finance admins and managers of the finance department."

    def has_permission(self, request, view):
        return request_access(request) is not None


class CanRunPortfolio(BasePermission):
    message = "Running and previewing credit portfolio imports is for finance admins."

    def has_permission(self, request, view):
        return request_access(request) == ADMIN
