"""`manage.py setup_schedules [--reset]`: write the declared periodic tasks to django-celery-beat."""

from django.core.management.base import BaseCommand

from common.services import schedules_apply


class Command(BaseCommand):
    help = "Create or refresh the periodic tasks every app declares (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Restore intervals and enable every schedule.")

    def handle(self, *args, reset=False, **options):
        for name, outcome in schedules_apply(reset=reset):
            self.stdout.write(f"{outcome:8} {name}")
