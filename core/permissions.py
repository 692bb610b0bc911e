"""Who may do what: one small function per rule, and nothing else decides.

Views turn a `False` into `PermissionDenied` (403) with the explanation from `explain`, and
templates reach the same rules through the filters in `templatetags/questions.py`.

A suspended member reads but does not write: every rule for a write is wrapped in `@writes`,
which asks `is_suspended` first; `block_notice` says why (the suspension, or a post's lock).
"""

from functools import wraps

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

# Marked for the catalogue and translated where they are shown (`explain`, the privileges page),
# in the language of that request: "You need 15 reputation to <vote up>."
PRIVILEGE_NAMES = {
    "vote_up": gettext_noop("vote up"),
    "vote_down": gettext_noop("vote down"),
    "comment": gettext_noop("comment everywhere"),
    "flag": gettext_noop("flag posts"),
    "review": gettext_noop("access the review queue"),
    "edit_tags": gettext_noop("edit tags"),
    "edit_others": gettext_noop("edit other people's posts"),
    "close_reopen": gettext_noop("vote to close and reopen questions"),
}

# What each privilege lets a member do, for /help/privileges/.
PRIVILEGE_DESCRIPTIONS = {
    "vote_up": gettext_lazy(
        "Tell the asker and everyone else that a question or answer is useful."
    ),
    "vote_down": gettext_lazy(
        "Mark a question or answer as not useful. Downvoting an answer costs you 1 reputation."
    ),
    "comment": gettext_lazy(
        "Comment on any post. Everyone may comment on their own posts and on the answers to "
        "their own questions."
    ),
    "flag": gettext_lazy(
        "Bring spam, rudeness and posts that need work to the moderators' attention."
    ),
    "review": gettext_lazy("Help the moderators work through the queue of flagged posts."),
    "edit_tags": gettext_lazy("Change the tags of any question."),
    "edit_others": gettext_lazy("Edit any question or answer; every edit keeps a revision."),
    "close_reopen": gettext_lazy(
        "Vote to close questions that do not fit the site, and to reopen them."
    ),
}


def privileges() -> list[str]:
    """Every privilege, the one needing the least reputation first."""
    return sorted(settings.JOKESITE_PRIVILEGES, key=lambda name: settings.JOKESITE_PRIVILEGES[name])


def is_suspended(user) -> bool:
    """The one check for suspensions: a suspended member may read but not write."""
    return user.is_authenticated and user.is_suspended


def writes(rule):
    """Decorate a rule for a write: False for a suspended member, whatever the rule says."""

    @wraps(rule)
    def checked(user, *args, **kwargs) -> bool:
        if is_suspended(user):
            return False
        return rule(user, *args, **kwargs)

    return checked


def suspension_notice(user) -> str:
    """The reason and the end of a member's suspension, for the banner and every 403."""
    reason = user.suspension_reason or _("no reason given")
    if user.suspended_until is None:
        return _("Your account is suspended until a moderator lifts it (reason: %(reason)s).") % {
            "reason": reason
        }
    return _("Your account is suspended until %(date)s (reason: %(reason)s).") % {
        "date": formats.date_format(user.suspended_until, "DATETIME_FORMAT"),
        "reason": reason,
    }


def lock_notice() -> str:
    return _("This post is locked by a moderator: no edits, votes or comments.")


def closed_notice() -> str:
    return _("This question is closed: it takes no new answers.")


def block_notice(user, post=None) -> str:
    """Why nothing can be written here, if the reason is the member's suspension or the
    post's lock; empty otherwise (the rule's own explanation applies)."""
    if is_suspended(user):
        return suspension_notice(user)
    if post is not None and getattr(post, "is_locked", False):
        return lock_notice()
    return ""


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
    if user.reputation >= threshold(privilege):
        return True
    # Moderators are staff (joining the group makes the account staff), so a member who is
    # not needs no permission lookup: the header's Review link costs no query on any page.
    return (user.is_staff or user.is_superuser) and is_moderator(user)


def explain(privilege: str) -> str:
    """The sentence shown on a disabled button and in the 403 page."""
    return _("You need %(rep)d reputation to %(what)s.") % {
        "rep": threshold(privilege),
        "what": _(PRIVILEGE_NAMES[privilege]),
    }


def is_author(user, post) -> bool:
    return user.is_authenticated and post.author_id == user.pk


@writes
def can_vote(user, post, value: int) -> bool:
    """Up needs `vote_up`, down needs `vote_down`; retracting is always allowed. Never on one's
    own post, never on a deleted or locked one."""
    if not user.is_authenticated or is_author(user, post) or post.is_deleted or post.is_locked:
        return False
    if value == 1:
        return has_privilege(user, "vote_up")
    if value == -1:
        return has_privilege(user, "vote_down")
    return True


def vote_privilege(value: int) -> str | None:
    return {1: "vote_up", -1: "vote_down"}.get(value)


@writes
def can_comment(user, post) -> bool:
    """Everyone may comment on their own posts and on answers to their own questions; nobody
    on a locked post."""
    if not user.is_authenticated or post.is_deleted or post.is_locked:
        return False
    question = getattr(post, "question", post)
    if is_author(user, post) or is_author(user, question):
        return True
    return has_privilege(user, "comment")


@writes
def can_answer(user, question) -> bool:
    """Not on a deleted, closed or locked question."""
    if not (user.is_authenticated and user.is_active):
        return False
    return not (question.is_deleted or question.is_closed or question.is_locked)


@writes
def can_ask(user) -> bool:
    return user.is_authenticated and user.is_active


@writes
def can_edit(user, post) -> bool:
    """Moderators edit anything, locked posts included; others never a locked post."""
    if is_moderator(user):
        return True
    if post.is_deleted or post.is_locked:
        return False
    return is_author(user, post) or has_privilege(user, "edit_others")


@writes
def can_retag(user, question) -> bool:
    """Changing only the tags of a question: whoever may edit it, and members with
    `edit_tags`; never a deleted or locked question but by a moderator."""
    if is_moderator(user):
        return True
    if not user.is_authenticated or question.is_deleted or question.is_locked:
        return False
    return can_edit(user, question) or has_privilege(user, "edit_tags")


@writes
def can_rollback(user, post) -> bool:
    """Rolling back to an earlier revision: the author (as for an edit) or a moderator, not
    members who may edit others' posts."""
    if is_moderator(user):
        return True
    return is_author(user, post) and not post.is_deleted and not post.is_locked


@writes
def can_delete(user, post) -> bool:
    if is_moderator(user):
        return True
    return is_author(user, post) and not post.is_deleted and not post.is_locked


@writes
def can_accept(user, answer) -> bool:
    """Only the asker accepts, and only visible answers to a visible question."""
    return (
        is_author(user, answer.question)
        and not answer.is_deleted
        and not answer.question.is_deleted
    )


@writes
def can_flag(user, post) -> bool:
    """A question, an answer or a comment (`post`): not one's own, not a deleted one."""
    if not user.is_authenticated or is_author(user, post) or post.is_deleted:
        return False
    return has_privilege(user, "flag")


def can_view(user, post) -> bool:
    """Deleted posts, and posts hidden by flags, stay visible to their author and to
    moderators."""
    if not (post.is_deleted or post.is_hidden):
        return True
    return is_author(user, post) or is_moderator(user)


# --- close and reopen votes, the review queue ---------------------------------------------


def _can_vote_on_closing(user, question) -> bool:
    if not user.is_authenticated or question.is_deleted or question.is_locked:
        return False
    return has_privilege(user, "close_reopen")


@writes
def can_vote_close(user, question) -> bool:
    """Members with `close_reopen` vote to close an open question (their own too, as on Stack
    Overflow); not a deleted or locked one. A moderator's vote closes it at once."""
    return not question.is_closed and _can_vote_on_closing(user, question)


@writes
def can_vote_reopen(user, question) -> bool:
    """As `can_vote_close`, on a closed question."""
    return question.is_closed and _can_vote_on_closing(user, question)


def can_review(user) -> bool:
    """The review queue (`/review/`) is a read-only list: members with `review`."""
    return has_privilege(user, "review")


# --- moderators ----------------------------------------------------------------------------


@writes
def can_moderate(user) -> bool:
    """Moderator actions on the site: close, reopen, lock, unlock, undelete."""
    return is_moderator(user)


def acts_as_moderator(user, post) -> bool:
    """Whether a write on `post` uses moderator powers, and so goes to the audit log."""
    return is_moderator(user) and not is_author(user, post)


@writes
def can_suspend(user, member) -> bool:
    """Moderators suspend members; staff and superuser accounts only a superuser; nobody
    themselves."""
    if not is_moderator(user) or member.pk == user.pk:
        return False
    return user.is_superuser or not (member.is_staff or member.is_superuser)
