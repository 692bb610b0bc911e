"""What the Moderators group may do in the admin, granted after every migrate.

The group itself is created by migration `accounts.0002_moderators_group`; membership makes a
member staff (`accounts.signals`). The rights live here, above every app they name.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import router
from django.db.models import Q

from accounts.signals import MODERATORS

# app label -> permission codenames. View and change on what moderators look after; view only on
# votes, revisions and the moderation log (written by the services alone); nothing on groups and
# permissions, and no add or delete anywhere but on tag synonyms: posts are soft-deleted through
# admin actions, tags are merged through one.
MODERATOR_PERMISSIONS = {
    "questions": [
        "moderate",
        "view_question",
        "change_question",
        "view_tag",
        "change_tag",
        "view_tagsynonym",
        "add_tagsynonym",
        "change_tagsynonym",
        "delete_tagsynonym",
        "view_category",
        "change_category",
    ],
    "answers": ["view_answer", "change_answer"],
    "comments": ["view_comment", "change_comment"],
    "flags": ["view_flag", "change_flag"],
    "revisions": ["view_revision"],
    "votes": ["view_vote"],
    "moderation": ["view_moderationaction"],
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
