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
        parser.add_argument("--reset", action="store_true",
                            help="Give the existing demo admin a new random password and print it.")

    def handle(self, *args, username="admin", reset=False, **options):
        users = get_user_model()
        existing = users.objects.filter(username=username).first()
        if existing is not None and reset:
            password = secrets.token_urlsafe(12)
            existing.set_password(password)
            existing.save(update_fields=["password"])
            self.stdout.write(self.style.SUCCESS(f"Demo admin password reset. Log in at /admin/ as {username} / "
                                                 f"{password}"))
            return
        if existing is not None:
            self.stdout.write(
                f"Demo admin '{username}' exists; its password was printed when it was created "
                f"(print a new one with: python manage.py ensure_demo_admin --reset)."
            )
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():  # the user exists only if its password gets printed below
            user = users.objects.create_superuser(username=username, email=f"{username}@localhost", password=password)
            user.groups.add(Group.objects.get(name=FINANCE_ADMIN))
        self.stdout.write(self.style.SUCCESS(f"Demo admin created. Log in at /admin/ as {username} / {password}"))
