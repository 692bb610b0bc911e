"""The Moderators group: its permissions, and that its members are staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.signals import MODERATOR_PERMISSIONS, grant_moderator_permissions
from tests.factories import ModeratorFactory, UserFactory

User = get_user_model()


def moderator_permissions(group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


EXPECTED = {
    f"{label}.{codename}" for label, names in MODERATOR_PERMISSIONS.items() for codename in names
}


# --- the group -----------------------------------------------------------------------------


def test_migrations_create_moderators_with_their_permissions(db):
    group = Group.objects.get(name="Moderators")

    assert moderator_permissions(group) == EXPECTED
    assert "questions.moderate" in EXPECTED
    assert not {p for p in EXPECTED if p.split(".")[1].startswith(("add_", "delete_"))}
    assert not EXPECTED & {"questions.change_vote", "questions.change_revision"}


def test_granting_again_restores_missing_permissions_and_keeps_extra_ones(db):
    group = Group.objects.get(name="Moderators")
    extra = group.permissions.model.objects.get(codename="add_tag")
    group.permissions.remove(group.permissions.get(codename="moderate"))
    group.permissions.add(extra)

    grant_moderator_permissions(sender=None, using="default")

    assert moderator_permissions(group) == EXPECTED | {"questions.add_tag"}


def test_joining_moderators_makes_a_member_staff(db):
    group = Group.objects.get(name="Moderators")
    member, other, bystander = UserFactory.create_batch(3)

    member.groups.add(group)
    group.user_set.add(other)
    bystander.groups.add(Group.objects.create(name="Translators"))

    assert member.is_staff  # the instance in hand is updated too
    member.refresh_from_db()
    other.refresh_from_db()
    bystander.refresh_from_db()
    assert (member.is_staff, other.is_staff, bystander.is_staff) == (True, True, False)
    assert member.has_perm("questions.moderate")


def test_leaving_moderators_keeps_staff_status_but_no_rights(db):
    moderator = ModeratorFactory()
    moderator.groups.clear()

    moderator = User.objects.get(pk=moderator.pk)
    assert moderator.is_staff
    assert not moderator.has_perm("questions.moderate")
    assert not moderator.has_module_perms("questions")
