"""The Moderators group: its members are staff.

The group itself is created by migration `accounts.0002_moderators_group`; what it may do is
granted by `moderation.signals`. The handlers here are connected in `AccountsConfig.ready()`.
"""

from django.contrib.auth.models import update_last_login as save_last_login

from pagecache.versions import unshown

MODERATORS = "Moderators"


def moderators_are_staff(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    """m2m_changed on User.groups: whoever joins Moderators becomes staff, so the admin lets
    them in. Covers `user.groups.add(group)` and `group.user_set.add(user)`.

    Leaving the group keeps `is_staff` as it is: without the group's permissions a staff
    account sees nothing in the admin, and another reason for staff status may exist.
    """
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(...): instance is the group, pk_set holds users.
        if instance.name == MODERATORS:
            model._default_manager.using(using).filter(pk__in=pk_set, is_staff=False).update(
                is_staff=True
            )
        return
    # user.groups.add(...): instance is the user, pk_set holds groups.
    joined = model._default_manager.using(using).filter(pk__in=pk_set, name=MODERATORS)
    if not instance.is_staff and joined.exists():
        instance.is_staff = True
        type(instance)._default_manager.using(using).filter(pk=instance.pk).update(is_staff=True)


def update_last_login(sender, user, **kwargs):
    """`user_logged_in`: Django's `update_last_login`, inside `pagecache.versions.unshown()`
    (no page shows `last_login`), so a member logging in leaves every cached page cached."""
    with unshown():
        save_last_login(sender, user, **kwargs)
