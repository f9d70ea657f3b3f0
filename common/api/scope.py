"""Which projects a caller may see. API tokens can be limited to projects (``TokenProjectLimit``).

Every view that reads project data asks ``allowed_projects(request)`` and narrows its query; a
limited caller asking for another project by name is refused, not silently shown nothing.
"""

from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def allowed_projects(request) -> frozenset[str] | None:
    """The projects the caller is limited to, or None when it may see every project."""
    cached = getattr(request, "_allowed_projects", _UNSET)
    if cached is not _UNSET:
        return cached
    allowed = None
    # ``is_project_limited`` comes with the token from ProjectScopedTokenAuthentication: no query
    # for the (usual) unlimited token.
    if isinstance(request.auth, Token) and getattr(request.auth, "is_project_limited", True):
        limits = frozenset(request.auth.project_limits.values_list("project", flat=True))
        allowed = limits or None
    request._allowed_projects = allowed
    return allowed


def scoped_projects(request, asked: str | None) -> frozenset[str] | None:
    """The projects a query may cover: the one ``asked`` for (if allowed), else all the caller may see.

    Raises PermissionDenied when a limited caller asks for a project outside its limits.
    """
    allowed = allowed_projects(request)
    if asked:
        if allowed is not None and asked not in allowed:
            raise PermissionDenied(f"this token is limited to the projects {', '.join(sorted(allowed))}; "
                                   f"project {asked!r} is not one of them")
        return frozenset({asked})
    return allowed


def limit_queryset(queryset, request, *, field: str = "project"):
    """``queryset`` narrowed to the caller's projects (unchanged for an unlimited caller)."""
    allowed = allowed_projects(request)
    return queryset if allowed is None else queryset.filter(**{f"{field}__in": allowed})


class NotProjectLimited(BasePermission):
    """For views whose answers span every project (provider sync state, operations)."""

    message = "This token is limited to projects; this endpoint covers all of them."

    def has_permission(self, request, view):
        return allowed_projects(request) is None


_UNSET = object()
