from django.db import migrations

from guides.content_files import load_seed


def load(apps, schema_editor):
    names = ("Guide", "CareCard", "Step", "StepItem", "Question", "Tip")
    load_seed({name: apps.get_model("guides", name) for name in names})


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
