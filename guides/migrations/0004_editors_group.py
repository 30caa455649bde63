from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ("guide", "step", "stepitem", "question", "tip", "carecard")
ACTIONS = ("add", "change", "view")


def editor_codenames():
    codenames = {f"{action}_{model}" for model in CONTENT_MODELS for action in ACTIONS}
    codenames |= {f"view_historical{model}" for model in CONTENT_MODELS}
    # Dropping an exercise or position from a step is editing the step's copy.
    codenames.add("delete_stepitem")
    return codenames


def create_editors_group(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now.
    app_config = apps.get_app_config("guides")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="guides", codename__in=editor_codenames())
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0003_version_and_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
