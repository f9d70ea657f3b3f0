"""`manage.py ensure_demo_admin`: create the embedded demo's admin login once, and print it that once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from common.roles import FINANCE_ADMIN


class Command(BaseCommand):
    help = "Create a demo superuser in the finance_admin group if none exists, printing its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        users = get_user_model()
        if users.objects.filter(username=username).exists():
            self.stdout.write(
                f"Demo admin '{username}' exists; its password was printed when it was created "
                f"(set a new one with: python manage.py changepassword {username})."
            )
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():  # the user exists only if its password gets printed below
            user = users.objects.create_superuser(username=username, email=f"{username}@localhost", password=password)
            user.groups.add(Group.objects.get(name=FINANCE_ADMIN))
        self.stdout.write(self.style.SUCCESS(f"Demo admin created. Log in at /admin/ as {username} / {password}"))
