"""Role checks for API views: viewer reads, finance_manager runs things, finance_admin does everything."""

from rest_framework.permissions import BasePermission

from common.roles import FINANCE_ADMIN, FINANCE_MANAGER, VIEWER, user_has_role


class _HasRole(BasePermission):
    role = VIEWER
    message = "This needs the viewer role."

    def has_permission(self, request, view):
        return user_has_role(request.user, self.role)


class IsViewer(_HasRole):
    role = VIEWER
    message = "This needs the viewer role or higher."


class IsFinanceManager(_HasRole):
    role = FINANCE_MANAGER
    message = "This needs the finance_manager role or higher."


class IsFinanceAdmin(_HasRole):
    role = FINANCE_ADMIN
    message = "This needs the finance_admin role."
