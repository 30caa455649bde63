# The tables take signoff's names (AlterModelTable renames each table and the authors table in
# place, so every row stays), and the three content types move to the "signoff" label: their
# permissions (approve_proposal and the rest) keep their ids, so the Clinical reviewers and
# Editors groups, and any user given one directly, keep them.

from django.db import migrations

MOVED = ("proposal", "historicalproposal", "reviewerprofile")


def move_content_types(apps, schema_editor, source="guides", target="signoff"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        clash = ContentType.objects.filter(app_label=target, model=model).first()
        if clash is not None:
            # Made early (by a create_permissions call) with no rows pointing at it yet: the old
            # content type, whose permissions groups hold, wins; the new one's duplicates go.
            Permission.objects.filter(content_type=clash).delete()
            clash.delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="signoff", target="guides")


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('guides', '0021_signoff_moves_to_its_own_app'),
        ('signoff', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='historicalproposal', table=None),
        migrations.AlterModelTable(name='proposal', table=None),
        migrations.AlterModelTable(name='reviewerprofile', table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
