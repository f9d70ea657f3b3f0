"""Finance roles and what each may do. One table, applied by data migrations and checked by the API.

Roles are Django groups, each including the one below it: a finance_admin can do everything a
finance_manager can, who can do everything a viewer can.
"""

VIEWER = "viewer"
FINANCE_MANAGER = "finance_manager"
FINANCE_ADMIN = "finance_admin"

# Lowest first: a role's rank says which roles it includes.
ROLE_ORDER = (VIEWER, FINANCE_MANAGER, FINANCE_ADMIN)

# Model permissions per role, by app label. Managers add what the review workflow needs
# (their own apps extend this table when they arrive); admins get every permission of these apps.
APP_LABELS = ("transactions", "integrations", "reconciliation", "analytics", "common", "django_celery_beat",
              "monitoring", "planning", "lending", "sales", "forecasting", "ledger")
MANAGER_EXTRA_CODENAMES = {
    "integrations": {"change_quarantinedrecord"},
    "reconciliation": {"change_reconciliationresult", "add_reconciliationrun"},
    # Finance staff import the month's plans (the API's plan import and the admin's import button).
    "planning": {"add_plan", "change_plan"},
    # Managers review vouchers and GL reconciliation results; posting is the admins' (ledger.services).
    "ledger": {"change_voucher", "change_glreconciliationresult", "add_glreconciliationrun"},
}


def role_rank(role: str) -> int:
    return ROLE_ORDER.index(role)


def user_has_role(user, role: str) -> bool:
    """True when the user holds ``role`` or a higher one (superusers hold every role)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    needed = role_rank(role)
    held = _user_roles(user)
    return any(role_rank(name) >= needed for name in held)


def _user_roles(user) -> set[str]:
    cached = getattr(user, "_finance_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_ORDER).values_list("name", flat=True))
        user._finance_roles = cached
    return cached


def roles_sync(*, group_model, permission_model) -> None:
    """Create the role groups and give each its permissions; safe to run again at any time.

    Takes the models as arguments so that data migrations can pass their historical models.
    """
    perms = permission_model.objects.filter(content_type__app_label__in=APP_LABELS).select_related("content_type")
    by_role: dict[str, list] = {VIEWER: [], FINANCE_MANAGER: [], FINANCE_ADMIN: []}
    for perm in perms:
        app_label = perm.content_type.app_label
        if perm.codename.startswith("view_"):
            by_role[VIEWER].append(perm)
            by_role[FINANCE_MANAGER].append(perm)
        elif perm.codename in MANAGER_EXTRA_CODENAMES.get(app_label, set()):
            by_role[FINANCE_MANAGER].append(perm)
        by_role[FINANCE_ADMIN].append(perm)
    for role, role_perms in by_role.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(role_perms)
