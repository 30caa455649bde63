import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guides.models import WITHDRAWABLE_MODELS
from signoff import schedule


def moment(text):
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now takes a date and time as YYYY-MM-DDTHH:MM, not {text!r}.") from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Publish approved changes whose 'publish on' time has come and withdraw items whose 'withdraw on' "
        "time has come, through the sign-off service. Run it daily, or hourly; running it again does nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; change nothing.")
        parser.add_argument("--now", type=moment, help="Act as if it were this time (YYYY-MM-DDTHH:MM, site time).")

    def handle(self, *args, dry_run=False, now=None, **options):
        now = now or timezone.now()
        outcomes = schedule.publish_due(now, dry_run) + schedule.withdraw_due(WITHDRAWABLE_MODELS, now, dry_run)
        for outcome in outcomes:
            stream = self.stderr if outcome.done.startswith("NOT") else self.stdout
            stream.write(f"{outcome.what}: {outcome.done}")
        if not outcomes:
            self.stdout.write("Nothing is scheduled to publish or withdraw now.")
