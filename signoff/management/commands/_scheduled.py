"""What the two commands a scheduler runs share: --dry-run, and a time to act as if it were now."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {text!r}.") from None


def moment(text):
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now takes a date and time as YYYY-MM-DDTHH:MM, not {text!r}.") from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class ScheduledCommand(BaseCommand):
    # (option, parser, help) for the time the command acts as if it were
    as_if = ("--today", day, "Act as if today were this date (YYYY-MM-DD).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen; change and send nothing.")
        option, parse, words = self.as_if
        parser.add_argument(option, type=parse, dest="as_if", help=words)
