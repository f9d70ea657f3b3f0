from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Operations"

    def ready(self):
        post_migrate.connect(_roles_sync_after_migrate, sender=self, dispatch_uid="common.roles_sync")


def _roles_sync_after_migrate(using, **kwargs):
    """Give the finance roles the permissions of models added since the roles migration.

    Django creates a model's permissions after migrating; this runs after that too, for every
    app, so a new model's permissions reach the roles without a migration of their own.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from common.roles import roles_sync

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_sync(group_model=Group, permission_model=Permission)
