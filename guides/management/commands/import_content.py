from django.core.management.base import BaseCommand, CommandError

from guides.content_files import ContentImportError, import_content
from guides.models import content_models


class Command(BaseCommand):
    help = (
        "Load the content files in DIR (as written by export_content) in one transaction. "
        "Every file is checked first: if any is bad, nothing changes and each problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the guide that is in the database now and load DIR in its place.",
        )

    def handle(self, *args, directory, replace, **options):
        try:
            items = import_content(
                content_models(), directory, replace=replace
            )
        except ContentImportError as error:
            raise CommandError(f"Nothing was imported.\n{error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {len(items)} items from {directory}"))
