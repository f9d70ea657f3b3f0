"""`manage.py forecast_retrain [--last YYYY-MM-DD]`: retrain now; the gate decides whether the model goes live."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from forecasting.services import RetrainRunning, model_retrain


class Command(BaseCommand):
    help = "Train a forecasting model now and let the gate decide whether it replaces the live one."

    def add_arguments(self, parser):
        parser.add_argument("--last", type=date.fromisoformat, default=None,
                            help="the last day of actuals to learn from (default: the latest complete day)")

    def handle(self, *args, last, **options):
        try:
            model = model_retrain(trigger="command", last=last)
        except (RetrainRunning, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"model v{model.version} {model.status}: {model.decision['reason']} "
                          f"(trained on {model.window_first}..{model.window_last} in {model.training_seconds:.1f} s)")
