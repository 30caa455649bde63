from django.core.management.base import BaseCommand


class ContentFolderCommand(BaseCommand):
    """A command that writes or reads a folder of content files (the format of guides/content/README.md)."""

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
