"""Template helpers of the back office: whether the user holds a finance role."""

from django import template

from common.roles import user_has_role

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    return user_has_role(user, role)
