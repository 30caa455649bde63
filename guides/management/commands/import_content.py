from django.contrib.auth import get_user_model
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
            help="Bring the site's copy up to the edition in DIR: add new items, propose changes to the items no "
            "editor has changed since they were loaded for a clinical reviewer's sign-off, and list the others "
            "for an editor to merge by hand.",
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="With --update: the editor account the proposed changes are made in the name of (needed unless "
            "--publish). That person cannot approve them; another clinical reviewer must.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="With --update: publish the edition's changes at once, WITHOUT clinical sign-off (for a first "
            "install or an emergency). Each item's history says so.",
        )

    def handle(self, *args, directory, replace, update, username, publish, **options):
        if (publish or username) and not update:
            raise CommandError("--as and --publish go with --update.")
        user = None
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active account called {username!r}. Nothing was imported.")
        elif update and not publish:
            raise CommandError(
                "Say whose name the proposed changes go under: --as USERNAME (an editor's account). "
                "Nothing was imported."
            )
        try:
            if update:
                self.report(update_content(directory, user=user, publish=publish))
                return
            items = import_content(directory, replace=replace)
        except ContentImportError as error:
            raise CommandError(f"Nothing was imported.\n{error}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {len(items)} items from {directory}"))

    def report(self, update):
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(update.added)}, updated {len(update.updated)}, "
                f"proposed for sign-off {len(update.proposed)}, already waiting {len(update.waiting)}, "
                f"unchanged {len(update.unchanged)}, left alone {len(update.left_alone)}."
            )
        )
        for item in update.added:
            draft = " (a draft until a clinical reviewer approves publishing it)" if item in update.proposed else ""
            self.stdout.write(f"Added: {item.path}{draft}")
        for heading, items in (
            ("Updated", update.updated), ("Proposed for sign-off", update.proposed),
            ("Already waiting for sign-off", update.waiting),
        ):
            for item in items:
                self.stdout.write(f"{heading}: {item.path}")
        if update.proposed or update.waiting:
            self.stdout.write(
                "Readers see none of the proposed changes (new items stay drafts) until a clinical reviewer "
                "approves each one in the admin: see 'Waiting for sign-off' on its home page."
            )
        if update.published and (update.added or update.updated):
            self.stdout.write(self.style.ERROR(
                f"PUBLISHED WITHOUT CLINICAL SIGN-OFF: {len(update.added) + len(update.updated)} items are live "
                "now and no clinical reviewer has approved them. Their history says so. Ask a clinical reviewer "
                "to check them and confirm the review in the admin."
            ))
        if update.left_alone:
            self.stdout.write(self.style.WARNING("Left alone; merge these by hand from the edition's file:"))
            for item, why in update.left_alone:
                self.stdout.write(f"  {item.path}: {why}")
