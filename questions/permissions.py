"""Who may do what: one small function per rule, and nothing else decides.

Views turn a `False` into `PermissionDenied` (403) with the explanation from `explain`, and
templates reach the same rules through the filters in `templatetags/questions.py`.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Marked for the catalogue and translated where they are shown (`explain`), in the language of
# that request: "You need 15 reputation to <vote up>."
PRIVILEGE_NAMES = {
    "vote_up": gettext_noop("vote up"),
    "vote_down": gettext_noop("vote down"),
    "comment": gettext_noop("comment everywhere"),
    "flag": gettext_noop("flag posts"),
    "edit_tags": gettext_noop("edit tags"),
    "edit_others": gettext_noop("edit other people's posts"),
}


def is_moderator(user) -> bool:
    """Superusers and members holding `questions.moderate` (the Moderators group)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_perm("questions.moderate")


def threshold(privilege: str) -> int:
    """Reputation a privilege needs; 1 for all of them in launch mode."""
    if settings.JOKESITE_LAUNCH_MODE:
        return 1
    return settings.JOKESITE_PRIVILEGES[privilege]


def has_privilege(user, privilege: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return is_moderator(user) or user.reputation >= threshold(privilege)


def explain(privilege: str) -> str:
    """The sentence shown on a disabled button and in the 403 page."""
    return _("You need %(rep)d reputation to %(what)s.") % {
        "rep": threshold(privilege),
        "what": _(PRIVILEGE_NAMES[privilege]),
    }


def is_author(user, post) -> bool:
    return user.is_authenticated and post.author_id == user.pk


def can_vote(user, post, value: int) -> bool:
    """Up needs `vote_up`, down needs `vote_down`; retracting is always allowed. Never on one's
    own post, never on a deleted one."""
    if not user.is_authenticated or is_author(user, post) or post.is_deleted:
        return False
    if value == 1:
        return has_privilege(user, "vote_up")
    if value == -1:
        return has_privilege(user, "vote_down")
    return True


def vote_privilege(value: int) -> str | None:
    return {1: "vote_up", -1: "vote_down"}.get(value)


def can_comment(user, post) -> bool:
    """Everyone may comment on their own posts and on answers to their own questions."""
    if not user.is_authenticated or post.is_deleted:
        return False
    question = getattr(post, "question", post)
    if is_author(user, post) or is_author(user, question):
        return True
    return has_privilege(user, "comment")


def can_answer(user, question) -> bool:
    return user.is_authenticated and user.is_active and not question.is_deleted


def can_ask(user) -> bool:
    return user.is_authenticated and user.is_active


def can_edit(user, post) -> bool:
    if is_moderator(user):
        return True
    if post.is_deleted:
        return False
    return is_author(user, post) or has_privilege(user, "edit_others")


def can_delete(user, post) -> bool:
    if is_moderator(user):
        return True
    return is_author(user, post) and not post.is_deleted


def can_accept(user, answer) -> bool:
    """Only the asker accepts, and only visible answers to a visible question."""
    return (
        is_author(user, answer.question)
        and not answer.is_deleted
        and not answer.question.is_deleted
    )


def can_flag(user, post) -> bool:
    if not user.is_authenticated or is_author(user, post) or post.is_deleted:
        return False
    return has_privilege(user, "flag")


def can_view(user, post) -> bool:
    """Deleted posts stay visible to their author and to moderators."""
    return not post.is_deleted or is_author(user, post) or is_moderator(user)
