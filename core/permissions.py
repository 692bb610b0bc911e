"""Who may do what: one small function per rule, and nothing else decides.

Each rule is a door that says why it is shut: `vote_refusal(user, post, value)` returns the
sentence a person reads (the suspension and its end, the post's lock, the reputation a
privilege needs...) or None when the door is open. Views call `check(...)`, which turns the
sentence into a 403 carrying it to the error page; templates ask the same rules through
`can_*` (`can_vote = not vote_refusal`) and the filters in `templatetags/posts.py`.

A suspended member reads but does not write: every rule for a write is wrapped in `@writes`,
which answers with the suspension first.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import formats, timezone
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


Refusal = str | None


def check(refusal: Refusal) -> None:
    """Raise the 403 that says why, when a rule refused."""
    if refusal is not None:
        raise PermissionDenied(refusal)


def writes(rule: Callable[..., Refusal]) -> Callable[..., Refusal]:
    """Decorate a rule for a write: a suspended member is refused with the suspension, whatever
    the rule says."""

    @wraps(rule)
    def checked(user, *args, **kwargs) -> Refusal:
        if is_suspended(user):
            return suspension_notice(user)
        return rule(user, *args, **kwargs)

    return checked


def door(rule: Callable[..., Refusal]) -> Callable[..., bool]:
    """`can_x` for the rule `x_refusal`: whether it lets the member through."""

    def can(*args, **kwargs) -> bool:
        return rule(*args, **kwargs) is None

    can.__name__ = rule.__name__.replace("_refusal", "").join(["can_", ""])
    can.__doc__ = f"Whether `{rule.__name__}` lets the member through."
    return can


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
    """Superusers and staff members holding `questions.moderate` (the Moderators group); a
    suspended moderator holds no moderator powers until the suspension ends. Holding the
    permission makes a member staff (`accounts.signals`), so most readers, who are not staff,
    cost no query here."""
    if not (user.is_authenticated and user.is_active) or user.is_suspended:
        return False
    return user.is_superuser or (user.is_staff and holds_moderate(user))


def holds_moderate(user) -> bool:
    """`user.has_perm("questions.moderate")` for an active member, in one query (not two
    loading every permission), remembered on the user object as Django's permissions are."""
    if (held := getattr(user, "_holds_moderate", None)) is None:
        held = Permission.objects.filter(Q(user=user) | Q(group__user=user), codename="moderate")
        held = user._holds_moderate = held.filter(content_type__app_label="questions").exists()
    return held


# Launch mode never lowers these: three throwaway accounts must not be able to rewrite a
# thread. Members without the privilege suggest edits instead (`suggest_edit_refusal`).
NEVER_LOWERED = frozenset({"edit_others"})


def threshold(privilege: str) -> int:
    """Reputation a privilege needs; 1 in launch mode, except for `NEVER_LOWERED`."""
    if settings.JOKESITE_LAUNCH_MODE and privilege not in NEVER_LOWERED:
        return 1
    return settings.JOKESITE_PRIVILEGES[privilege]


def has_privilege(user, privilege: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.reputation >= threshold(privilege):
        return True
    # Moderators are staff (holding the permission makes the account staff), so a member who
    # is not needs no permission lookup: the header's Review link costs no query on any page.
    return is_moderator(user)


def explain(privilege: str) -> str:
    """The sentence shown on a disabled button and in the 403 page."""
    return _("You need %(rep)d reputation to %(what)s.") % {
        "rep": threshold(privilege),
        "what": _(PRIVILEGE_NAMES[privilege]),
    }


def lacks(user, privilege: str) -> Refusal:
    """`explain(privilege)` unless the member has it."""
    return None if has_privilege(user, privilege) else explain(privilege)


def is_author(user, post) -> bool:
    return user.is_authenticated and post.author_id == user.pk


def vote_privilege(value: int) -> str | None:
    return {1: "vote_up", -1: "vote_down"}.get(value)


def _signed_in() -> str:
    return _("Log in first.")


@writes
def vote_refusal(user, post, value: int) -> Refusal:
    """Up needs `vote_up`, down needs `vote_down`; retracting is always allowed. Never on one's
    own post, never on a deleted or locked one."""
    if not user.is_authenticated:
        return _signed_in()
    if post.is_locked:
        return lock_notice()
    if is_author(user, post):
        return _("You cannot vote on your own post.")
    if is_gone(post):
        return _("This post was deleted.")
    privilege = vote_privilege(value)
    return lacks(user, privilege) if privilege else None


@writes
def comment_refusal(user, post) -> Refusal:
    """Everyone may comment on their own posts and on answers to their own questions; nobody
    on a locked post."""
    if not user.is_authenticated:
        return _signed_in()
    if post.is_locked:
        return lock_notice()
    if is_gone(post):
        return explain("comment")
    question = getattr(post, "question", post)
    if is_author(user, post) or is_author(user, question):
        return None
    return lacks(user, "comment")


@writes
def answer_refusal(user, question) -> Refusal:
    """Not on a deleted, closed or locked question."""
    if not (user.is_authenticated and user.is_active):
        return _signed_in()
    if question.is_locked:
        return lock_notice()
    if question.is_closed:
        return closed_notice()
    if question.is_deleted:
        return _("You cannot answer this question.")
    return None


@writes
def ask_refusal(user) -> Refusal:
    return None if user.is_authenticated and user.is_active else _signed_in()


def _author_only(user, post, sentence: str) -> Refusal:
    """For the author's own writes: moderators always; the author while the post is neither
    deleted nor locked."""
    if is_moderator(user):
        return None
    if post.is_locked:
        return lock_notice()
    if not is_author(user, post) or is_gone(post):
        return sentence
    return None


@writes
def edit_refusal(user, post) -> Refusal:
    """Moderators edit anything, locked posts included; others never a locked post."""
    if is_moderator(user):
        return None
    if post.is_locked:
        return lock_notice()
    if is_gone(post):
        return _("Only the author and moderators can edit this post.")
    return None if is_author(user, post) else lacks(user, "edit_others")


@writes
def suggest_edit_refusal(user, post) -> Refusal:
    """Suggesting an edit: a signed-in member whom `edit_refusal` turns away only for lack of
    `edit_others` (never on a locked or deleted post, never one's own)."""
    if not user.is_authenticated:
        return _signed_in()
    if is_moderator(user) or is_author(user, post) or has_privilege(user, "edit_others"):
        return _("You can edit this post yourself.")
    if post.is_locked:
        return lock_notice()
    if post.is_deleted:
        return _("Only the author and moderators can edit this post.")
    return None


@writes
def review_suggestion_refusal(user, suggestion) -> Refusal:
    """Approving or rejecting a suggested edit: the post's author, a moderator or a holder of
    `edit_others`; never the suggester."""
    if not user.is_authenticated:
        return _signed_in()
    if suggestion.suggester_id == user.pk:
        return _("You cannot review your own suggested edit.")
    post = suggestion.post
    if is_moderator(user) or is_author(user, post) or has_privilege(user, "edit_others"):
        return None
    return explain("edit_others")


@writes
def retag_refusal(user, question) -> Refusal:
    """Changing only the tags of a question: whoever may edit it, and members with
    `edit_tags`; never a deleted or locked question but by a moderator."""
    if is_moderator(user):
        return None
    if question.is_locked:
        return lock_notice()
    if question.is_deleted:
        return _("Only the author and moderators can edit this post.")
    if is_author(user, question) or has_privilege(user, "edit_others"):
        return None
    return lacks(user, "edit_tags")


@writes
def rollback_refusal(user, post) -> Refusal:
    """Rolling back to an earlier revision: the author (as for an edit) or a moderator, not
    members who may edit others' posts."""
    return _author_only(user, post, _("Only the author and moderators can roll back this post."))


@writes
def delete_refusal(user, post) -> Refusal:
    return _author_only(user, post, _("Only the author and moderators can delete this post."))


@writes
def accept_refusal(user, answer) -> Refusal:
    """Only the asker accepts, and only visible answers to a visible question."""
    if (
        is_author(user, answer.question)
        and not answer.is_deleted
        and not answer.question.is_deleted
    ):
        return None
    return _("Only the person who asked can accept an answer.")


@writes
def flag_refusal(user, post) -> Refusal:
    """A question, an answer or a comment (`post`): not one's own, not a deleted one."""
    if not user.is_authenticated:
        return _signed_in()
    if is_author(user, post):
        return _("You cannot flag your own post.")
    if is_gone(post):
        return explain("flag")
    return lacks(user, "flag")


def question_of(post):
    """The question an answer or a comment belongs to; None for a question."""
    kind = post._meta.model_name
    if kind == "answer":
        return post.question
    if kind == "comment":
        return post.question if post.question_id else post.answer.question
    return None


def is_gone(post) -> bool:
    """Deleted, or taken along by a deleted question (or, for a comment, a deleted answer):
    such a post takes no votes, comments, edits or flags."""
    if post.is_deleted:
        return True
    if post._meta.model_name == "comment" and post.answer_id and post.answer.is_deleted:
        return True
    question = question_of(post)
    return question is not None and question.is_deleted


def can_view(user, post) -> bool:
    """Deleted posts, and posts hidden by flags, stay visible to their author and to
    moderators. A deleted question takes its answers and comments with it: they stay visible
    to their authors, the question's author and moderators."""
    question = question_of(post)
    if question is not None and question.is_deleted:
        return is_author(user, post) or is_author(user, question) or is_moderator(user)
    if not (post.is_deleted or post.is_hidden):
        return True
    return is_author(user, post) or is_moderator(user)


# --- close and reopen votes, the review queue ---------------------------------------------


def is_new_account(user) -> bool:
    """Younger than `JOKESITE_NEW_ACCOUNT_DAYS`: stricter rate limits, no close votes."""
    age = timezone.now() - user.date_joined
    return age < timedelta(days=settings.JOKESITE_NEW_ACCOUNT_DAYS)


def _closing_refusal(user, question, *, closing: bool) -> Refusal:
    if not user.is_authenticated:
        return _signed_in()
    if question.is_locked:
        return lock_notice()
    if question.is_deleted:
        return _("This question was deleted.")
    if refusal := lacks(user, "close_reopen"):
        return refusal
    if is_new_account(user) and not is_moderator(user):
        # Launch mode gives every account the privilege: a crowd of new accounts must not
        # close (or reopen) a question.
        return _("Accounts younger than %(days)d days cannot vote to close or reopen.") % {
            "days": settings.JOKESITE_NEW_ACCOUNT_DAYS
        }
    if closing and question.is_closed:
        return _("This question is closed already.")
    if not closing and not question.is_closed:
        return _("This question is open.")
    return None


@writes
def vote_close_refusal(user, question) -> Refusal:
    """Members with `close_reopen` vote to close an open question (their own too, as on Stack
    Overflow); not a deleted or locked one. A moderator's vote closes it at once."""
    return _closing_refusal(user, question, closing=True)


@writes
def vote_reopen_refusal(user, question) -> Refusal:
    """As `vote_close_refusal`, on a closed question."""
    return _closing_refusal(user, question, closing=False)


def review_refusal(user) -> Refusal:
    """The review queues (`/review/`): members with `review`. A suspended member reads them
    but decides nothing (`review_decision_refusal`)."""
    return lacks(user, "review")


@writes
def review_decision_refusal(user) -> Refusal:
    """Deciding an item of a review queue: members with `review`, not suspended."""
    return review_refusal(user)


# --- moderators ----------------------------------------------------------------------------

MODERATOR_ONLY = {
    "undelete": gettext_noop("Only moderators can undelete posts."),
    "lock": gettext_noop("Only moderators can lock and unlock posts."),
    "close": gettext_noop("Only moderators can close questions."),
    "reopen": gettext_noop("Only moderators can reopen questions."),
}


@writes
def moderate_refusal(user, action: str = "") -> Refusal:
    """Moderator actions on the site (MODERATOR_ONLY): close, reopen, lock, unlock, undelete."""
    if is_moderator(user):
        return None
    return _(MODERATOR_ONLY[action]) if action else _("Only moderators can do this.")


def acts_as_moderator(user, post) -> bool:
    """Whether a write on `post` uses moderator powers, and so goes to the audit log."""
    return is_moderator(user) and not is_author(user, post)


@writes
def suspend_refusal(user, member) -> Refusal:
    """Moderators suspend members; staff and superuser accounts only a superuser; nobody
    themselves."""
    if not is_moderator(user) or member.pk == user.pk:
        return _("You cannot suspend this member.")
    if user.is_superuser or not (member.is_staff or member.is_superuser):
        return None
    return _("Only a superuser can suspend staff accounts.")


can_vote = door(vote_refusal)
can_comment = door(comment_refusal)
can_answer = door(answer_refusal)
can_ask = door(ask_refusal)
can_edit = door(edit_refusal)
can_retag = door(retag_refusal)
can_rollback = door(rollback_refusal)
can_delete = door(delete_refusal)
can_accept = door(accept_refusal)
can_flag = door(flag_refusal)
can_vote_close = door(vote_close_refusal)
can_vote_reopen = door(vote_reopen_refusal)
can_review = door(review_refusal)
can_decide_review = door(review_decision_refusal)
can_suggest_edit = door(suggest_edit_refusal)
can_review_suggestion = door(review_suggestion_refusal)
can_moderate = door(moderate_refusal)
can_suspend = door(suspend_refusal)
