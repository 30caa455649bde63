from django.core.management.base import BaseCommand, CommandError

from guides.content_files import ContentFileError, export_content


class Command(BaseCommand):
    help = (
        "Write every content item into DIR as a Markdown file with front matter "
        "(the format of guides/content/README.md). DIR must be new or empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        try:
            written = export_content(directory)
        except ContentFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Exported {len(written)} files to {directory}"))
