import datetime

from django.core.management.base import BaseCommand, CommandError

from signoff import reminders


def day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Email review reminders: each item's owner 30 days before its next review is due, the owner and "
        "the deputy on the day (copy with no owner: the Editors group). Run it daily; running it again, "
        "or after a missed day, sends each reminder once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send and record nothing.")
        parser.add_argument("--today", type=day, help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        due = reminders.reminders_due(today)
        sent = 0
        for reminder in due:
            if dry_run:
                self.stdout.write(f"Would send: {reminder.describe()}")
            elif reminders.send(reminder, today):
                sent += 1
                self.stdout.write(f"Sent: {reminder.describe()}")
            else:
                self.stderr.write(f"NOT sent (tried again on the next run): {reminder.describe()}")
        for reminder in due:
            if reminder.unowned:
                self.stdout.write(f"No owner: {reminders.describe_item(reminder.item)}; choose one on its admin page.")
        if not due:
            self.stdout.write("No review reminders to send today.")
        elif not dry_run:
            self.stdout.write(f"{sent} of {len(due)} reminder(s) sent.")
