from django.core.management.base import CommandError

from guides.content_files import ContentImportError, import_content, update_content

from ._content_folder import ContentFolderCommand


class Command(ContentFolderCommand):
    help = (
        "Load the content files in DIR (as written by export_content) in one transaction. "
        "Every file is checked first: if any is bad, nothing changes and each problem is listed."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        how = parser.add_mutually_exclusive_group()
        how.add_argument(
            "--replace",
            action="store_true",
            help="Delete the guide that is in the database now and load DIR in its place.",
        )
        how.add_argument(
            "--update",
            action="store_true",
            help="Bring the site's copy up to the edition in DIR: add new items, update the items no editor "
            "has changed since they were loaded, and list the others for an editor to merge by hand.",
        )

    def handle(self, *args, directory, replace, update, **options):
        try:
            if update:
                self.report(update_content(directory))
                return
            items = import_content(directory, replace=replace)
        except ContentImportError as error:
            raise CommandError(f"Nothing was imported.\n{error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {len(items)} items from {directory}"))

    def report(self, update):
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(update.added)}, updated {len(update.updated)}, "
                f"unchanged {len(update.unchanged)}, left alone {len(update.left_alone)}."
            )
        )
        for heading, items in (("Added", update.added), ("Updated", update.updated)):
            for item in items:
                self.stdout.write(f"{heading}: {item.path}")
        if update.left_alone:
            self.stdout.write(self.style.WARNING("Left alone; merge these by hand from the edition's file:"))
            for item, why in update.left_alone:
                self.stdout.write(f"  {item.path}: {why}")
