from django.db import migrations


class Migration(migrations.Migration):
    """Once loaded the guide's first edition; `load_guide` does that now, with the real models.

    Databases migrated before keep the content this step loaded; the step is kept so that
    their migration history stays valid.
    """

    dependencies = [("guides", "0001_initial")]

    operations = []
