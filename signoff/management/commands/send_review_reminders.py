from django.core.management.base import CommandError

from signoff import reminders

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = (
        "Email review reminders: each item's owner 30 days before its next review is due, the owner and "
        "the deputy on the day (copy with no owner: the Editors group). Run it daily; running it again, "
        "or after a missed day, sends each reminder once."
    )

    def handle(self, *args, dry_run=False, as_if=None, **options):
        due = reminders.reminders_due(as_if)
        sent = 0
        for reminder in due:
            if dry_run:
                self.stdout.write(f"Would send: {reminder.describe()}")
            elif reminders.send(reminder, as_if):
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
            if sent < len(due):  # exit status 1: cron mails it, a platform scheduler marks the run failed
                raise CommandError(f"{len(due) - sent} reminder(s) not sent; the next run tries them again.")
