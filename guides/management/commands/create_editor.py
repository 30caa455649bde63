import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from signoff.models import ReviewerProfile


class Command(BaseCommand):
    help = (
        "Add an editor: a staff account in the Editors group, which can change the guide's "
        "content and see its history, and nothing else. The password is asked for, or read "
        "from the BACKCARE_EDITOR_PASSWORD environment variable with --no-input. With "
        "--clinical-reviewer, the account can also approve other people's changes, signed with "
        "--public-name and --role as readers will see them."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_false", dest="interactive")
        parser.add_argument("--clinical-reviewer", action="store_true", help="Can approve or send back changes.")
        parser.add_argument("--public-name", default="", help="The reviewer's name as readers see it, e.g. 'Dr Amira Shah'.")
        parser.add_argument("--role", default="", help="The reviewer's profession as readers see it, e.g. 'Physiotherapist'.")

    def handle(self, username, email, interactive, clinical_reviewer, public_name, role, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        try:
            editors = Group.objects.get(name="Editors")
        except Group.DoesNotExist:
            raise CommandError("The Editors group is missing: run 'python manage.py migrate' first.") from None
        reviewers = None
        if clinical_reviewer:
            public_name, role = public_name.strip(), role.strip()
            if not public_name:
                raise CommandError("A clinical reviewer needs --public-name: their name as readers will see it.")
            if "," in public_name:
                raise CommandError("Give the profession with --role, not after a comma in --public-name.")
            reviewers = Group.objects.filter(name="Clinical reviewers").first()
            if reviewers is None:
                raise CommandError("The Clinical reviewers group is missing: run 'python manage.py migrate' first.")
        password = os.environ.get("BACKCARE_EDITOR_PASSWORD", "")
        if interactive and not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords did not match.")
        if not password:
            raise CommandError("No password: set BACKCARE_EDITOR_PASSWORD or run without --no-input.")
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        user.groups.add(editors)
        if reviewers is not None:
            user.groups.add(reviewers)
            ReviewerProfile.objects.create(user=user, public_name=public_name, role=role)
            self.stdout.write(self.style.SUCCESS(
                f"Clinical reviewer {username!r} created, signing as {ReviewerProfile.objects.get(user=user)}. "
                "They can sign in at /admin/."
            ))
            return
        self.stdout.write(self.style.SUCCESS(f"Editor {username!r} created. They can sign in at /admin/."))
