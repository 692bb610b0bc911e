"""`permissions.is_moderator` reads the permission in one query and remembers it for the user
object, with the answers `user.has_perm` gives; members who are not staff cost no query, since
holding the permission makes a member staff (`accounts.signals`)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection

from core import permissions
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def moderate() -> Permission:
    return Permission.objects.get(content_type__app_label="questions", codename="moderate")


def test_held_through_a_group(django_assert_num_queries):
    moderator = ModeratorFactory()
    with django_assert_num_queries(1):
        assert all(permissions.is_moderator(moderator) for _ in range(100))
    assert moderator.has_perm("questions.moderate")


def test_held_directly():
    member = UserFactory()
    member.user_permissions.add(moderate())
    assert member.is_staff
    member.refresh_from_db()
    assert member.is_staff
    assert permissions.is_moderator(member)
    assert member.has_perm("questions.moderate")


def test_given_through_the_permission_side():
    member = UserFactory()
    moderate().user_set.add(member)
    member.refresh_from_db()
    assert member.is_staff and permissions.is_moderator(member)


def test_granting_it_from_the_permission_side_to_a_group():
    member = UserFactory()
    helpers = Group.objects.create(name="Helpers")
    helpers.user_set.add(member)
    moderate().group_set.add(helpers)
    member.refresh_from_db()
    assert member.is_staff and permissions.is_moderator(member)


def test_granting_a_group_the_permission_makes_its_members_staff():
    members = UserFactory.create_batch(2)
    outsider = UserFactory()
    helpers = Group.objects.create(name="Helpers")
    helpers.user_set.add(*members)
    helpers.permissions.add(Permission.objects.exclude(codename="moderate").first())
    assert not Group.objects.get(pk=helpers.pk).user_set.filter(is_staff=True).exists()
    helpers.permissions.add(moderate())
    for member in members:
        member.refresh_from_db()
        assert member.is_staff and permissions.is_moderator(member)
    outsider.refresh_from_db()
    assert not outsider.is_staff
    late = UserFactory()
    late.groups.add(helpers)  # joining a group that holds it
    late.refresh_from_db()
    assert late.is_staff and permissions.is_moderator(late)


def test_other_permissions_make_nobody_staff():
    member = UserFactory()
    member.user_permissions.add(Permission.objects.exclude(codename="moderate").first())
    member.refresh_from_db()
    assert not member.is_staff


def test_not_held(django_assert_num_queries):
    member = UserFactory()
    other = Group.objects.create(name="Others")
    other.permissions.add(Permission.objects.exclude(codename="moderate").first())
    member.groups.add(other)
    member.refresh_from_db()
    with django_assert_num_queries(0):  # not staff: nothing to look up
        assert not any(permissions.is_moderator(member) for _ in range(100))
    assert not member.has_perm("questions.moderate")
    member.is_staff = True
    member.save()
    with django_assert_num_queries(1):
        assert not any(permissions.is_moderator(member) for _ in range(100))


def test_unticking_staff_takes_the_powers_away():
    moderator = ModeratorFactory()
    moderator.is_staff = False
    moderator.save()
    moderator.refresh_from_db()
    assert not permissions.is_moderator(moderator)


def test_migration_makes_earlier_holders_staff():
    """accounts.0007: members given the permission before the signal existed become staff."""
    direct, through_group, member = UserFactory.create_batch(3)
    group = Group.objects.create(name="Old moderators")
    group.user_set.add(through_group)
    group.permissions.add(moderate())
    direct.user_permissions.add(moderate())
    type(direct).objects.update(is_staff=False)  # as they were before the signal
    migration = importlib.import_module("accounts.migrations.0007_moderators_are_staff")
    editor = SimpleNamespace(connection=connection)  # all make_staff reads of its editor
    migration.make_staff(apps, editor)
    staff = set(type(direct).objects.filter(is_staff=True).values_list("pk", flat=True))
    assert {direct.pk, through_group.pk} <= staff
    assert member.pk not in staff


def test_superuser_and_inactive(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert permissions.is_moderator(UserFactory.build(is_superuser=True))
    inactive = ModeratorFactory(is_active=False)
    assert not permissions.is_moderator(inactive)
