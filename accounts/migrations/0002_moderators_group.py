"""Create the Moderators group.

Its permissions are granted by `accounts.signals.grant_moderator_permissions` after every
`migrate`: on a fresh database, permissions only exist once post_migrate has run, which is
after every migration, so this migration cannot see them.
"""

from django.db import migrations

MODERATORS = "Moderators"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).get_or_create(name=MODERATORS)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("questions", "0001_initial"),
        ("answers", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
