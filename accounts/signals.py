"""Moderators are staff: whoever holds `questions.moderate` (the Moderators group's) is made
staff, however they came to hold it.

The group itself is created by migration `accounts.0002_moderators_group`; what it may do is
granted by `moderation.signals`. The handlers here are connected in `AccountsConfig.ready()`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.models import update_last_login as save_last_login
from django.db.models import Q

from pagecache.versions import unshown

MODERATORS = "Moderators"  # made by migration accounts.0002, granted by moderation.signals


# The permission that makes a moderator (moderation.signals grants it to the group).
MODERATE = {"content_type__app_label": "questions", "codename": "moderate"}


def _make_staff(users) -> None:
    users.filter(is_staff=False).update(is_staff=True)


def _make_member_staff(member, using) -> None:
    """The member whose groups or permissions just changed, and their row."""
    member.is_staff = True
    _make_staff(type(member)._default_manager.using(using).filter(pk=member.pk))


def moderators_are_staff(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """m2m_changed on User.groups: whoever joins a group holding `questions.moderate` (the
    Moderators group) becomes staff, so the admin lets them in. Covers `user.groups.add(group)`
    and `group.user_set.add(user)`.

    With `moderate_makes_staff` below, holding the permission always makes the account staff,
    so `permissions.is_moderator` needs no query for members who are not staff (most readers
    of every page). Leaving the group keeps `is_staff` as it is: without the group's
    permissions a staff account sees nothing in the admin, and another reason for staff status
    may exist. Unticking staff status takes moderator powers away, as it does the admin.
    """
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set holds users.
        if instance.name == MODERATORS or instance.permissions.filter(**MODERATE).exists():
            _make_staff(model._default_manager.using(using).filter(pk__in=pk_set))
        return
    # user.groups.add(...): instance is the user, pk_set holds groups.
    groups = model._default_manager.using(using).filter(pk__in=pk_set)
    held = {f"permissions__{name}": value for name, value in MODERATE.items()}
    if not instance.is_staff and groups.filter(Q(name=MODERATORS) | Q(**held)).exists():
        _make_member_staff(instance, using)


def moderate_makes_staff(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """m2m_changed on User.user_permissions and Group.permissions: whoever is given
    `questions.moderate`, directly or through a group they are in, becomes staff."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # permission.user_set.add(...) or permission.group_set.add(...)
        if not _is_moderate(instance):
            return
        if sender is Group.permissions.through:
            model = get_user_model()
            _make_staff(model._default_manager.using(using).filter(groups__in=pk_set))
        else:
            _make_staff(model._default_manager.using(using).filter(pk__in=pk_set))
        return
    # group.permissions.add(...) or user.user_permissions.add(...): pk_set holds permissions.
    if not model._default_manager.using(using).filter(pk__in=pk_set, **MODERATE).exists():
        return
    if sender is Group.permissions.through:
        users = get_user_model()._default_manager.using(using).filter(groups=instance)
        _make_staff(users)
    elif not instance.is_staff:
        _make_member_staff(instance, using)


def _is_moderate(permission) -> bool:
    return (permission.content_type.app_label, permission.codename) == (
        MODERATE["content_type__app_label"],
        MODERATE["codename"],
    )


def update_last_login(sender, user, **kwargs):
    """`user_logged_in`: Django's `update_last_login`, inside `pagecache.versions.unshown()`
    (no page shows `last_login`), so a member logging in leaves every cached page cached."""
    with unshown():
        save_last_login(sender, user, **kwargs)
