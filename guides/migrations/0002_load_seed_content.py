from django.db import migrations
from django.utils import timezone

from guides.content_files import load_seed

NAMES = ("Guide", "CareCard", "Step", "StepItem", "Question", "Tip")


def load(apps, schema_editor):
    if load_seed({name: apps.get_model("guides", name) for name in NAMES}):
        record_first_versions(apps)


def record_first_versions(apps):
    """Give each seeded item a first history entry, so an editor's first change can be undone.

    Migrations use historical models, which send no signals to django-simple-history.
    """
    now = timezone.now()
    for name in NAMES:
        model = apps.get_model("guides", name)
        history = apps.get_model("guides", f"Historical{name}")
        attnames = [f.attname for f in history._meta.fields if not f.name.startswith("history_")]
        history.objects.bulk_create(
            history(
                **{attname: getattr(obj, attname) for attname in attnames},
                history_date=now,
                history_type="+",
                history_change_reason="First edition",
            )
            for obj in model.objects.all()
        )


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
