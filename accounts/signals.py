"""The Moderators group: what it may do, and that its members are staff.

The group itself is created by migration `accounts.0002_moderators_group`; the handlers here are
connected in `AccountsConfig.ready()`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import router
from django.db.models import Q

MODERATORS = "Moderators"

# app label -> permission codenames. View and change on what moderators look after; view only on
# votes, revisions and the moderation log (written by the services alone); nothing on groups and
# permissions, and no add or delete anywhere but on tag synonyms: posts are soft-deleted through
# admin actions, tags are merged through one.
MODERATOR_PERMISSIONS = {
    "questions": [
        "moderate",
        "view_question",
        "change_question",
        "view_comment",
        "change_comment",
        "view_flag",
        "change_flag",
        "view_tag",
        "change_tag",
        "view_tagsynonym",
        "add_tagsynonym",
        "change_tagsynonym",
        "delete_tagsynonym",
        "view_category",
        "change_category",
        "view_revision",
        "view_vote",
        "view_moderationaction",
    ],
    "answers": ["view_answer", "change_answer"],
    "accounts": ["view_user", "change_user"],
}


def grant_moderator_permissions(sender, using, apps=global_apps, **kwargs):
    """post_migrate: give the Moderators group its permissions; running it again changes nothing.

    Permissions granted by hand are kept. Does nothing while the group does not exist (for
    instance after migrating accounts back to 0001).
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    if not router.allow_migrate_model(using, Permission):
        return
    group = Group.objects.using(using).filter(name=MODERATORS).first()
    if group is None:
        return
    # post_migrate reaches the apps in INSTALLED_APPS order, so the permissions of apps listed
    # after this one may not exist yet: create them first (this only adds what is missing).
    for label in MODERATOR_PERMISSIONS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    wanted = Q()
    for label, codenames in MODERATOR_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=label, codename__in=codenames)
    group.permissions.add(*Permission.objects.using(using).filter(wanted))


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
