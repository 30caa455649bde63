from django.contrib.auth.management import create_permissions
from django.db import migrations


def let_editors_review_feedback(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now.
    app_config = apps.get_app_config("feedback")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Editors read answers and mark them dealt with; they never add or delete readers' answers.
    permissions = Permission.objects.filter(
        content_type__app_label="feedback", codename__in=("view_feedback", "change_feedback")
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_feedback_initial"),
        ("guides", "0004_editors_group"),
    ]

    operations = [migrations.RunPython(let_editors_review_feedback, migrations.RunPython.noop)]
