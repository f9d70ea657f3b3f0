"""Token authentication that also learns, in the same query, whether the token is limited to projects.

Most tokens are not limited; knowing that from the authentication query spares every request a
second query for its limits (``common.api.scope``), a visible share of a cached answer's few
milliseconds.
"""

from django.db.models import Exists, OuterRef
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from common.models import TokenProjectLimit


class ProjectScopedTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, with ``token.is_project_limited`` annotated."""

    def authenticate_credentials(self, key):
        limited = Exists(TokenProjectLimit.objects.filter(token=OuterRef("pk")))
        token = (self.get_model().objects.select_related("user").annotate(is_project_limited=limited)
                 .filter(key=key).first())
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token
