import csv

from django.core.management.base import BaseCommand

from feedback.models import Feedback

COLUMNS = ("created_at", "item_kind", "item_id", "item", "item_version", "page", "helpful", "comment", "dealt_with")


def spreadsheet_safe(text):
    """Readers' words must not become formulas when the CSV is opened in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class Command(BaseCommand):
    help = "Write every reader feedback answer as CSV (oldest first) for analysis. Not content: export_content leaves it out."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")

    def handle(self, *args, **options):
        answers = Feedback.objects.select_related("content_type").prefetch_related("item").order_by("created_at", "pk")
        if options["output"]:
            with open(options["output"], "w", newline="", encoding="utf-8") as out:
                count = self.write(out, answers)
            self.stderr.write(f"Wrote {count} answer(s) to {options['output']}.")
        else:
            self.write(self.stdout, answers)  # csv writes whole rows, so the wrapper adds no extra line ends

    @staticmethod
    def write(out, answers):
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        count = 0
        for answer in answers.iterator(chunk_size=500):
            writer.writerow([
                answer.created_at.isoformat(),
                answer.content_type.model,
                answer.object_id,
                spreadsheet_safe(str(answer.item) if answer.item is not None else "(deleted)"),
                answer.item_version,
                spreadsheet_safe(answer.page),
                "yes" if answer.helpful else "no",
                spreadsheet_safe(answer.comment),
                "yes" if answer.dealt_with else "no",
            ])
            count += 1
        return count
