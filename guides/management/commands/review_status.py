import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from guides.models import REVIEW_WARNING_DAYS, content_due_for_review, content_flagged_for_review


class Command(BaseCommand):
    help = (
        f"List content whose review is overdue or due within {REVIEW_WARNING_DAYS} days. "
        "Exits with status 1 when anything is overdue (for cron or CI)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        due = content_due_for_review(today)
        flags = content_flagged_for_review()
        for item, reasons in flags.items():
            self.stdout.write(f"FLAGGED   {item._meta.verbose_name}: {item} ({'; '.join(reasons)})")
        if not due:
            self.stdout.write(f"Nothing is due for review in the next {REVIEW_WARNING_DAYS} days.")
            return
        overdue = 0
        for item in due:
            status = item.review_status(today)
            overdue += status == "overdue"
            self.stdout.write(
                f"{status.upper():9} due {item.next_review_due:%Y-%m-%d}  "
                f"{item._meta.verbose_name}: {item} (last reviewed {item.last_reviewed:%Y-%m-%d} "
                f"by {item.reviewed_by}; owner: {item.owner or 'none'})"
            )
        if overdue:
            self.stderr.write(f"{overdue} item(s) overdue for review.")
            sys.exit(1)
