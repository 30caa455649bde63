from django.core.management.base import CommandError
from django.utils import timezone

from guides.models import WITHDRAWABLE_MODELS
from signoff import schedule

from ._scheduled import ScheduledCommand, moment


class Command(ScheduledCommand):
    help = (
        "Publish approved changes whose 'publish on' time has come and withdraw items whose 'withdraw on' "
        "time has come, through the sign-off service. Run it daily, or hourly; running it again does nothing twice."
    )
    as_if = ("--now", moment, "Act as if it were this time (YYYY-MM-DDTHH:MM, the site's time zone).")

    def handle(self, *args, dry_run=False, as_if=None, **options):
        now = as_if or timezone.now()
        outcomes = schedule.publish_due(now, dry_run) + schedule.withdraw_due(WITHDRAWABLE_MODELS, now, dry_run)
        for outcome in outcomes:
            stream = self.stderr if outcome.done.startswith("NOT") else self.stdout
            stream.write(f"{outcome.what}: {outcome.done}")
        if not outcomes:
            self.stdout.write("Nothing is scheduled to publish or withdraw now.")
        failed = sum(outcome.done.startswith("NOT") for outcome in outcomes)
        if failed:  # exit status 1, so cron mails it and a platform scheduler marks the run failed
            raise CommandError(f"{failed} scheduled change(s) not published: their authors were emailed why.")
