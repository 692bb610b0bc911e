"""What one reader may do with each post of a thread, worked out once per post in Python.

A thread's post templates (now `threads.render`, in Python) used to ask the
permission rules through template filters: a dozen checks per post, each re-deriving the same
things (the suspension, the moderator check, the privilege sentences), hundreds per long
thread. `facts(reader, post)` asks each rule once and keeps the answers on `post.reader`; what
does not depend on the post (the suspension, the sentences of the privileges a button needs)
is worked out once per request by `Reader`. The rules stay in core/permissions.py: nothing
here decides anything they do not.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import permissions
from core.sentences import per_catalogue


@dataclass(slots=True, frozen=True)
class Facts:
    """One reader's view of one post: what the post's controls show. All empty for visitors."""

    vote_why: str = ""  # the refusal shown in words under the post (templatetags vote_refusal)
    blocked: str = ""  # the suspension or the lock (templatetags blocked_reason)
    up: bool = False  # may vote up
    down: bool = False
    up_off: str = ""  # the disabled up button's title
    down_off: str = ""
    edit: bool = False
    suggest: bool = False  # may suggest an edit (and may not edit)
    retag: bool = False  # a question they may retag but not edit
    flag: bool = False
    flag_off: bool = False  # the muted Flag link to the privileges page
    delete: bool = False  # may delete, and it is not deleted
    moderate: bool = False
    accept: bool = False
    comment: bool = False
    close_votes: bool = False  # may vote to close or to reopen
    flaggable: frozenset = field(default_factory=frozenset)  # its comments they may flag


VISITOR = Facts()


def _rule(rule):
    """The rule without its `@permissions.writes` wrapper: `Reader` checks the suspension once."""
    return getattr(rule, "__wrapped__", rule)


_vote = _rule(permissions.vote_refusal)
_edit = _rule(permissions.edit_refusal)
_suggest = _rule(permissions.suggest_edit_refusal)
_retag = _rule(permissions.retag_refusal)
_flag = _rule(permissions.flag_refusal)
_delete = _rule(permissions.delete_refusal)
_accept = _rule(permissions.accept_refusal)
_comment = _rule(permissions.comment_refusal)
_close = _rule(permissions.vote_close_refusal)
_reopen = _rule(permissions.vote_reopen_refusal)


class Reader:
    """The request's member (or visitor), with what every post's checks share."""

    def __init__(self, user):
        self.user = user
        self.signed_in = user.is_authenticated
        if not self.signed_in:
            return
        self.suspended = permissions.is_suspended(user)
        self.moderator = permissions.can_moderate(user)
        self.hints = {
            name: permissions.explain(name) for name in ("vote_up", "vote_down", "comment")
        }
        self.own_post = _("You cannot vote on your own post.")
        self.suspended_notice = _("Your account is suspended: you can read but not write.")

    def facts(self, post) -> Facts:
        if not self.signed_in:
            return VISITOR
        user = self.user
        own = permissions.is_author(user, post)
        comments = post.visible_comments
        if self.suspended:
            blocked = self.suspended_notice
            return Facts(
                vote_why="" if post.is_deleted else blocked,
                blocked=blocked,
                up_off=blocked,
                down_off=blocked,
            )
        blocked = permissions.lock_notice() if post.is_locked else ""
        question = post.kind == "question"
        edit = _edit(user, post) is None
        up = _vote(user, post, 1)
        down = _vote(user, post, -1)
        vote_why = "" if post.is_deleted else blocked or up or down or ""
        flag = _flag(user, post) is None
        return Facts(
            vote_why=vote_why,
            blocked=blocked,
            up=up is None,
            down=down is None,
            up_off=blocked or (self.own_post if own else self.hints["vote_up"]),
            down_off=blocked or (self.own_post if own else self.hints["vote_down"]),
            edit=edit,
            suggest=not edit and _suggest(user, post) is None,
            retag=question and not edit and _retag(user, post) is None,
            flag=flag,
            flag_off=not flag and not post.is_deleted and not own,
            delete=not post.is_deleted and _delete(user, post) is None,
            moderate=self.moderator,
            accept=not question and _accept(user, post) is None,
            comment=_comment(user, post) is None,
            close_votes=question
            and not self.moderator
            and (_close(user, post) is None or _reopen(user, post) is None),
            flaggable=frozenset(c.pk for c in comments if _flag(user, c) is None),
        )


@per_catalogue
def words() -> dict[str, str]:
    """The sentences every post of a thread shows alike, translated once per catalogue
    (`core.sentences`) rather than once per post."""
    return {
        "edit": _("Edit"),
        "suggest_edit": _("Suggest an edit"),
        "retag": _("Retag"),
        "history": pgettext("revisions of a post", "History"),
        "flag": _("Flag"),
        "delete": _("Delete"),
        "unaccept": _("Unaccept"),
        "accept": _("Accept this answer"),
        "retract_your_upvote": _("Retract your upvote"),
        "useful": _("This is useful"),
        "retract_upvote": _("Retract upvote"),
        "vote_up": _("Vote up"),
        "score": _("Score:"),
        "score_title": _("score"),  # the jump list's, once per answer
        "retract_your_downvote": _("Retract your downvote"),
        "not_useful": _("This is not useful"),
        "retract_downvote": _("Retract downvote"),
        "vote_down": _("Vote down"),
        "log_in_to_vote": _("Log in to vote"),
        "log_in_to_vote_up": _("Log in to vote up"),
        "log_in_to_vote_down": _("Log in to vote down"),
        "comments": _("Comments"),
        "flag_comment": _("Flag this comment for moderators"),
        "flag_lower": _("flag"),
        "add_a_comment": _("Add a comment"),
        "comment": _("Comment"),
        "add_comment": _("Add comment"),
        "about_privileges": _("About privileges"),
        "flag_hint": permissions.explain("flag"),
        "comment_hint": permissions.explain("comment"),
    }
