"""Every member holding `questions.moderate` (directly or through a group) is staff.

`permissions.is_moderator` now looks the permission up only for staff accounts, and
`accounts.signals` makes staff whoever is given it from now on; this makes staff whoever was
given it before, so no moderator loses their powers.
"""

from django.db import migrations
from django.db.models import Q


def make_staff(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    alias = schema_editor.connection.alias
    moderate = Q(content_type__app_label="questions", codename="moderate")
    Permission = apps.get_model("auth", "Permission")
    held = Permission.objects.using(alias).filter(moderate)
    holders = User.objects.using(alias).filter(
        Q(user_permissions__in=held) | Q(groups__permissions__in=held) | Q(groups__name="Moderators")
    )
    User.objects.using(alias).filter(pk__in=holders.values("pk"), is_staff=False).update(
        is_staff=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_profile_and_theme"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(make_staff, migrations.RunPython.noop)]
