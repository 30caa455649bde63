from django.core.management.base import BaseCommand

from guides.content_files import load_seed


class Command(BaseCommand):
    help = "Load the guide's first edition from guides/content/ if it is not in the database yet."

    def handle(self, *args, **options):
        if load_seed():
            self.stdout.write(self.style.SUCCESS("Loaded the guide content."))
        else:
            self.stdout.write("The guide is already in the database; editors' copy left as it is.")
