import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from common.roles import APP_LABELS, FINANCE_ADMIN, FINANCE_MANAGER, VIEWER, user_has_role

pytestmark = pytest.mark.django_db


def _perms(role):
    return set(Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename"))


def _all_perms():
    return set(
        Permission.objects.filter(content_type__app_label__in=APP_LABELS).values_list(
            "content_type__app_label", "codename"
        )
    )


def test_migration_created_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) == {VIEWER, FINANCE_MANAGER, FINANCE_ADMIN}


def test_viewer_has_every_view_permission_and_nothing_else():
    view_perms = {(app, codename) for app, codename in _all_perms() if codename.startswith("view_")}
    assert ("transactions", "view_transaction") in view_perms
    assert _perms(VIEWER) == view_perms


def test_manager_adds_only_quarantine_reconciliation_plan_import_and_ledger_review_to_the_viewer():
    assert _perms(FINANCE_MANAGER) - _perms(VIEWER) == {("integrations", "change_quarantinedrecord"),
                                                        ("reconciliation", "change_reconciliationresult"),
                                                        ("reconciliation", "add_reconciliationrun"),
                                                        ("planning", "add_plan"), ("planning", "change_plan"),
                                                        ("ledger", "change_voucher"),
                                                        ("ledger", "change_glreconciliationresult"),
                                                        ("ledger", "add_glreconciliationrun")}
    assert _perms(VIEWER) <= _perms(FINANCE_MANAGER)


def test_admin_has_every_permission_of_the_finance_apps():
    perms = _perms(FINANCE_ADMIN)
    assert perms == _all_perms()
    assert {("transactions", "change_projectmapping"), ("django_celery_beat", "change_periodictask")} <= perms
    assert not any(app == "auth" for app, _ in perms)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="pw-for-tests")


def test_roles_include_the_ones_below(viewer, finance_manager, finance_admin, superuser):
    held = {
        user.username: [user_has_role(user, role) for role in (VIEWER, FINANCE_MANAGER, FINANCE_ADMIN)]
        for user in (viewer, finance_manager, finance_admin, superuser)
    }
    assert held == {
        "viewer-user": [True, False, False],
        "finance_manager-user": [True, True, False],
        "finance_admin-user": [True, True, True],
        "root": [True, True, True],
    }


def test_inactive_or_anonymous_users_hold_no_role(finance_admin, superuser):
    for user in (finance_admin, superuser):
        user.is_active = False
    assert [user_has_role(u, VIEWER) for u in (finance_admin, superuser, AnonymousUser(), None)] == [False] * 4


def test_user_without_a_role_group_holds_none(django_user_model):
    user = django_user_model.objects.create_user(username="staff-only", password="pw-for-tests", is_staff=True)
    assert user_has_role(user, VIEWER) is False
