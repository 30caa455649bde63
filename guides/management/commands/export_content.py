from django.core.management.base import CommandError

from guides.content_files import ContentFileError, export_content

from ._content_folder import ContentFolderCommand


class Command(ContentFolderCommand):
    help = "Write every content item into DIR as a Markdown file with front matter. DIR must be new or empty."

    def handle(self, *args, directory, **options):
        try:
            written = export_content(directory)
        except ContentFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Exported {len(written)} files to {directory}"))
