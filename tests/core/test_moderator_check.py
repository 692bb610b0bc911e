"""`permissions.is_moderator` reads the permission in one query and remembers it for the user
object, with the answers `user.has_perm` gives."""

import pytest
from django.contrib.auth.models import Group, Permission

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
    assert permissions.is_moderator(member)
    assert member.has_perm("questions.moderate")


def test_not_held(django_assert_num_queries):
    member = UserFactory()
    other = Group.objects.create(name="Others")
    other.permissions.add(Permission.objects.exclude(codename="moderate").first())
    member.groups.add(other)
    with django_assert_num_queries(1):
        assert not any(permissions.is_moderator(member) for _ in range(100))
    assert not member.has_perm("questions.moderate")


def test_superuser_and_inactive(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert permissions.is_moderator(UserFactory.build(is_superuser=True))
    inactive = ModeratorFactory(is_active=False)
    assert not permissions.is_moderator(inactive)
